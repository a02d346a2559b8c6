import type {ReactElement} from 'react';
import {render} from 'ink';
import {type Clock, systemClock} from '../clock.js';
import type {RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';
import {Message} from './components/message.js';
import {StepHeader} from './components/step-header.js';
import {Summary} from './components/summary.js';
import {Table} from './components/table.js';
import {TaskLine, type TaskLineProps} from './components/task-line.js';
import {TasksView} from './components/tasks-view.js';
import {useFrame} from './components/use-frame.js';
import type {StepInfo, Ui} from './ui.js';

export type InkUiOptions = {
	/** Ink needs it to mount; no phase reads from it (no `useInput`), so prompts keep it to themselves. */
	readonly stdin: NodeJS.ReadStream;
	/** Where to draw: stderr, so stdout carries only results. */
	readonly stdout: NodeJS.WriteStream;
	/**
	The clock the task runners use, for elapsed times.

	@default systemClock
	*/
	readonly clock?: Pick<Clock, 'now'>;
	/** Passed to `TasksView`; tests set them to 0. */
	readonly tickMs?: number;
	readonly throttleMs?: number;
};

type Streams = Pick<InkUiOptions, 'stdin' | 'stdout'>;
type Rerender = (element: ReactElement) => void;

/**
Mounts one Ink phase, runs `run`, then unmounts and waits for Ink to finish writing. When `run` returns synchronously, the
frame is written and unmounted before this returns, so static output is on screen at once.
*/
async function renderPhase<T>({stdin, stdout}: Streams, element: ReactElement, run: (rerender: Rerender) => T | Promise<T>): Promise<T> {
	const app = render(element, {stdin, stdout, stderr: stdout, exitOnCtrlC: false, patchConsole: false});
	const exited = app.waitUntilExit();
	try {
		const result = run(app.rerender);
		return result instanceof Promise ? await result : result;
	} finally {
		app.unmount();
		await exited;
		// Ink 6.8 unref()s stdin when raw mode ends; the next @inquirer prompt needs it, or the process quietly exits
		// (architecture §3.5). Harmless when raw mode was never on.
		stdin.ref?.();
	}
}

type TaskPhaseProps = Omit<TaskLineProps, 'frame'> & {readonly tickMs: number};

/** Moves the spinner while a single task runs; the only timer of a `task()` phase. */
function TaskPhase({tickMs, ...props}: TaskPhaseProps) {
	const frame = useFrame(props.status === 'running', tickMs);
	return <TaskLine {...props} frame={frame} />;
}

/**
The terminal UI: every method is one short Ink render phase on `stdout` (stderr in practice), mounted only while it draws,
so @inquirer prompts can have the terminal between phases. cli.tsx imports this file lazily; it is the only one that loads Ink.
*/
export function createInkUi({stdin, stdout, clock = systemClock, tickMs = 80, throttleMs = 50}: InkUiOptions): Ui {
	const streams: Streams = {stdin, stdout};
	// Ink keeps one instance per stream, so a phase must not start while a live one (task, runTasks) is mounted: render()
	// would hand back that instance and replace its tree. Static phases unmount synchronously, so they never overlap.
	let queue: Promise<unknown> = Promise.resolve();
	// Live phases until they settle, plus static phases still waiting in the queue.
	let blocking = 0;

	const enqueue = <T,>(phase: () => Promise<T>, isLive: boolean): Promise<T> => {
		// With nothing on screen or waiting, start at once so static output is written before the caller's next line runs.
		const immediate = blocking === 0;
		blocking++;
		const start = async () => {
			if (!isLive) {
				blocking--;
			}

			return phase();
		};

		let result = immediate ? start() : queue.then(start);
		if (isLive) {
			result = result.finally(() => {
				blocking--;
			});
		}

		queue = result.then(
			() => undefined,
			() => undefined,
		);
		return result;
	};

	const show = (element: ReactElement) => {
		void enqueue(async () => renderPhase(streams, element, () => undefined), false);
	};

	return {
		step(step: StepInfo) {
			show(<StepHeader {...step} />);
		},
		async task<T>(title: string, run: () => Promise<T>): Promise<T> {
			return enqueue(async () =>
				renderPhase(streams, <TaskPhase title={title} status="running" tickMs={tickMs} />, async rerender => {
					const startedAt = clock.now();
					try {
						const result = await run();
						rerender(<TaskPhase title={title} status="done" elapsedMs={clock.now() - startedAt} tickMs={tickMs} />);
						return result;
					} catch (error) {
						const message = error instanceof Error ? error.message : String(error);
						rerender(<TaskPhase title={title} status="failed" elapsedMs={clock.now() - startedAt} error={message} tickMs={tickMs} />);
						throw error;
					}
				}),
				true,
			);
		},
		async runTasks(runner: TaskRunner): Promise<RunnerSnapshot> {
			const now = () => clock.now();
			const view = () => <TasksView runner={runner} now={now} tickMs={tickMs} throttleMs={throttleMs} />;
			return enqueue(async () =>
				renderPhase(streams, view(), async rerender => {
					const snapshot = await runner.run();
					// A synchronous render reads the final snapshot, whatever the throttle still holds back.
					rerender(view());
					return snapshot;
				}),
				true,
			);
		},
		table(rows, headers) {
			show(<Table rows={rows} headers={headers} />);
		},
		info(message) {
			show(<Message message={message} />);
		},
		success(title, lines) {
			show(<Summary title={title} lines={lines} />);
		},
		warn(message) {
			show(<Message message={message} tone="warning" />);
		},
	};
}
