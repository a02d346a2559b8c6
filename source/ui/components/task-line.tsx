import {Text} from 'ink';
import {clean, formatDuration, spinnerFrame, statusSymbols} from '../format.js';

export type TaskLineProps = {
	readonly title: string;
	readonly status: 'running' | 'done' | 'failed';
	/** Spinner frame while running. */
	readonly frame?: number;
	readonly elapsedMs?: number;
	readonly error?: string;
};

/** One spinner line for a single piece of work: "⠋ Looking up domains…", then "✔ Looking up domains (0.4s)". */
export function TaskLine({title, status, frame = 0, elapsedMs, error}: TaskLineProps) {
	const time = elapsedMs === undefined ? '' : ` (${formatDuration(elapsedMs)})`;
	switch (status) {
		case 'running': {
			return (
				<Text>
					<Text color="cyan">{spinnerFrame(frame)}</Text>
					{` ${title}…`}
				</Text>
			);
		}

		case 'done': {
			return (
				<Text>
					<Text color="green">{statusSymbols.done}</Text>
					{` ${title}`}
					<Text dimColor>{time}</Text>
				</Text>
			);
		}

		case 'failed': {
			return (
				<Text>
					<Text color="red">{statusSymbols.failed}</Text>
					{` ${title}`}
					<Text dimColor>{time}</Text>
					{error ? <Text color="red">{`  ${clean(error)}`}</Text> : ''}
				</Text>
			);
		}
	}
}
