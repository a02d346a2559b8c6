// What a phase has finished, as plain records, and the components that draw them. Ink writes each once, to <Static>.
import {Box, Text} from 'ink';
import type {TaskState} from '../../tasks/task-runner.js';
import {clean, statusSymbols} from '../format.js';
import {spinnerRow, stepRows, taskRows} from '../rows.js';
import {columns, commandAndComment, fit, shellLines} from '../text.js';
import type {StepInfo} from '../ui.js';
import {RowText, Rows, Wrapped} from './rows.js';

/** A finished one-line task of a step still open: it can still fold into the step's one line. */
export type DoneTask = {readonly title: string; readonly elapsed: number};

/** A finished row. `label` is an account block's prefix (`provision --accounts`), empty elsewhere. */
export type Finished = {readonly key: number} & (
	| {readonly kind: 'message'; readonly tone: 'info' | 'warning'; readonly text: string; readonly label: string}
	| {readonly kind: 'table'; readonly rows: ReadonlyArray<readonly [string, string]>; readonly headers?: readonly [string, string]; readonly label: string}
	| {readonly kind: 'success'; readonly title: string; readonly lines: readonly string[]}
	| {readonly kind: 'task'; readonly title: string; readonly status: 'done' | 'failed'; readonly elapsed: number; readonly error?: string}
	| {readonly kind: 'tasks'; readonly tasks: readonly TaskState[]; readonly now: number}
	/** A step's header and its finished one-line tasks, once something else came. */
	| {readonly kind: 'step'; readonly step: StepInfo; readonly done: readonly DoneTask[]}
	/** A step that turned out to be done already: header, checks and what was found make one line. */
	| {readonly kind: 'folded'; readonly step: StepInfo; readonly text: string}
	/** An account block closed with its outcome. */
	| {readonly kind: 'closed'; readonly label: string; readonly ok: boolean; readonly text: string}
);

/** Drawn the one way a finished row of its kind is drawn, fitted to `width`. */
export function FinishedRow({item, width}: {readonly item: Finished; readonly width: number}) {
	switch (item.kind) {
		case 'message': {
			return <Message tone={item.tone} text={item.text} label={item.label} width={width} />;
		}

		case 'table': {
			return <Table rows={item.rows} headers={item.headers} label={item.label} width={width} />;
		}

		case 'success': {
			return <Success title={item.title} lines={item.lines} width={width} />;
		}

		case 'task': {
			return (
				<Box flexDirection="column">
					<RowText row={spinnerRow({title: item.title, status: item.status, frame: 0, elapsed: item.elapsed, width})} />
					{item.error ? <Wrapped lines={[item.error]} width={width} indent={2} color="red" /> : undefined}
				</Box>
			);
		}

		case 'tasks': {
			return <Rows rows={taskRows(item.tasks, {now: item.now, frame: 0, width})} />;
		}

		case 'step': {
			const done = item.done.map(({title, elapsed}) => spinnerRow({title, status: 'done', frame: 0, elapsed, width}));
			return <Rows rows={[...stepRows(item.step, width), ...done]} />;
		}

		case 'folded': {
			return <Folded step={item.step} text={item.text} />;
		}

		case 'closed': {
			const {label, ok, text} = item;
			return (
				<RowText row={[
					{text: ok ? statusSymbols.done : statusSymbols.failed, color: ok ? 'green' : 'red'},
					{text: ` ${fit(label, width - 2)}`, bold: true},
					{text: fit(` · ${clean(text)}`, width - 2 - label.length)},
				]} />
			);
		}
	}
}

function Message({tone, text, label, width}: {readonly tone: 'info' | 'warning'; readonly text: string; readonly label: string; readonly width: number}) {
	return tone === 'warning' ? (
		<Box>
			<Text color="yellow">{`${label}⚠ `}</Text>
			<Wrapped lines={text.split('\n')} width={width - columns(label) - 2} />
		</Box>
	) : (
		<Box>
			{label ? <Text dimColor>{label}</Text> : undefined}
			<Wrapped lines={text.split('\n')} width={width - columns(label)} />
		</Box>
	);
}

/** The narrowest a table's value column gets; below it, each key is on a line of its own with its value under it. */
const minColumn = 20;

function Table({rows, headers, label, width}: {
	readonly rows: ReadonlyArray<readonly [string, string]>;
	readonly headers?: readonly [string, string];
	readonly label: string;
	readonly width: number;
}) {
	const keyWidth = Math.max(0, ...[...rows, ...(headers ? [headers] : [])].map(([key]) => key.length));
	if (width - label.length - keyWidth - 2 < minColumn) {
		return (
			<Box flexDirection="column">
				{rows.map(([key, value], index) => (
					<Box key={index} flexDirection="column">
						<Text dimColor wrap="truncate-end">{label + clean(key)}</Text>
						<Wrapped lines={[clean(value)]} width={width} indent={label.length + 2} />
					</Box>
				))}
			</Box>
		);
	}

	const line = (key: string, value: string, bold: boolean, index?: number) => (
		<Box key={index}>
			<Box width={label.length + keyWidth + 2} flexShrink={0}>
				<Text bold={bold} dimColor={!bold}>{label + clean(key)}</Text>
			</Box>
			<Text bold={bold} wrap="wrap">{clean(value)}</Text>
		</Box>
	);
	return (
		<Box flexDirection="column">
			{headers ? line(headers[0], headers[1], true) : undefined}
			{rows.map(([key, value], index) => line(key, value, false, index))}
		</Box>
	);
}

function Success({title, lines, width}: {
	readonly title: string;
	readonly lines: readonly string[];
	readonly width: number;
}) {
	return (
		<Box flexDirection="column">
			<Text bold wrap="wrap">
				<Text color="green">{statusSymbols.done}</Text>
				{` ${clean(title)}`}
			</Text>
			{lines.map((line, index) => {
				const command = commandAndComment(clean(line));
				if (!command) {
					return <Wrapped key={index} lines={[line]} width={width} indent={2} />;
				}

				// A command to paste: its comment on a line of its own, the command broken only where it does not fit, between
				// shell words; a word longer than a line stays whole (the terminal soft-wraps it, and copying gives it back).
				const {lead, command: text, comment} = command;
				return (
					<Box key={index} flexDirection="column">
						<Wrapped lines={[`${lead}# ${comment}`]} width={width} indent={2} dim />
						{shellLines(text, width - 2 - lead.length).map((part, at) => (
							<Box key={at} width={Math.max(width, 2 + lead.length + columns(part))} flexShrink={0}>
								<Text>{`  ${lead}${part}`}</Text>
							</Box>
						))}
					</Box>
				);
			})}
		</Box>
	);
}

function Folded({step, text}: {readonly step: StepInfo; readonly text: string}) {
	return (
		<Box>
			<Box marginRight={1} flexShrink={0}>
				<Text color="green">{statusSymbols.done}</Text>
			</Box>
			<Text wrap="wrap">
				<Text bold color="cyan">{`Step ${step.index} of ${step.total}`}</Text>
				<Text bold>{` · ${clean(step.title)}`}</Text>
				<Text dimColor>{` · ${clean(text)}`}</Text>
			</Text>
		</Box>
	);
}
