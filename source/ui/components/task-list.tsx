import {Box, Text} from 'ink';
import type {TaskState, TaskStatus} from '../../tasks/task-runner.js';
import {clean, elapsedMs, formatDuration, spinnerFrame, statusSymbols} from '../format.js';
import {ProgressBar} from './progress-bar.js';

export type TaskListProps = {
	readonly tasks: readonly TaskState[];
	/** Clock time the elapsed column of running tasks is measured against. */
	readonly now: number;
	/** Spinner frame for running tasks; the view that owns the timer advances it. */
	readonly frame?: number;
	/** @default 20 */
	readonly barWidth?: number;
};

const colors: Record<TaskStatus, string | undefined> = {
	pending: undefined,
	running: 'cyan',
	done: 'green',
	skipped: 'green',
	failed: 'red',
	blocked: 'yellow',
	cancelled: 'yellow',
};

const dim: Record<TaskStatus, boolean> = {
	pending: true,
	running: false,
	done: false,
	skipped: true,
	failed: false,
	blocked: true,
	cancelled: true,
};

/** One row per task: symbol, title, bar, percent, elapsed time, then the detail, or the error with its hint underneath. */
export function TaskList({tasks, now, frame = 0, barWidth = 20}: TaskListProps) {
	const titleWidth = Math.max(0, ...tasks.map(task => task.title.length));
	return (
		<Box flexDirection="column">
			{tasks.map(task => {
				const elapsed = elapsedMs(task, now);
				const symbol = task.status === 'running' ? spinnerFrame(frame) : statusSymbols[task.status];
				return (
					<Box key={task.id} flexDirection="column">
						<Text dimColor={dim[task.status]}>
							<Text color={colors[task.status]}>{symbol}</Text>
							{` ${task.title.padEnd(titleWidth)} `}
							<ProgressBar value={task.progress} width={barWidth} color={colors[task.status]} />
							{` ${(elapsed === undefined ? '' : formatDuration(elapsed)).padStart(6)}`}
							{task.error ? <Text color="red">{`  ${clean(task.error.message)}`}</Text> : ''}
							{!task.error && task.detail ? `  ${clean(task.detail)}` : ''}
							{task.attempts > 1 && task.status === 'running' ? ` (attempt ${task.attempts})` : ''}
						</Text>
						{task.error?.hint ? <Text dimColor>{`  → ${clean(task.error.hint)}`}</Text> : undefined}
					</Box>
				);
			})}
		</Box>
	);
}
