import type {RunnerEvent, RunnerSnapshot, TaskRunner} from '../../source/tasks/task-runner.js';
import type {StepInfo, Ui, UiBlock, UiGroup} from '../../source/ui/ui.js';

/** One call on the Ui; inside a group (`provision --accounts`) it carries the group's label. */
export type UiEvent = (
	| {readonly type: 'step'; readonly step: StepInfo}
	| {readonly type: 'task'; readonly title: string; readonly outcome: 'ok' | 'failed'; readonly error?: string}
	| {readonly type: 'runTasks'}
	| {readonly type: 'table'; readonly rows: ReadonlyArray<readonly [string, string]>; readonly headers?: readonly [string, string]}
	| {readonly type: 'info' | 'warn'; readonly message: string}
	| {readonly type: 'success'; readonly title: string; readonly lines: readonly string[]}
	| {readonly type: 'group'}
	| {readonly type: 'close'; readonly ok: boolean; readonly text: string}
) & {readonly group?: string};

/**
A Ui that draws nothing and records every call, and the task runner's events (`runnerEvents`), running the runner as the real
ones do. `onEvent` lets a test act in the middle of a run (e.g. abort once the first task is done). `transcript()` is everything
shown, as text, for "never shows a secret" checks.
*/
export function createRecordingUi(options: {onEvent?: (event: RunnerEvent) => void} = {}) {
	const events: UiEvent[] = [];
	const runnerEvents: RunnerEvent[] = [];
	const block = (group?: string): UiBlock => {
		const record = (event: UiEvent) => {
			events.push(group === undefined ? event : {...event, group});
		};

		return {
			async task(title, run) {
				try {
					const result = await run({retrying() {}});
					record({type: 'task', title, outcome: 'ok'});
					return result;
				} catch (error) {
					record({type: 'task', title, outcome: 'failed', error: error instanceof Error ? error.message : String(error)});
					throw error;
				}
			},
			async runTasks(runner: TaskRunner): Promise<RunnerSnapshot> {
				record({type: 'runTasks'});
				const stop = runner.onEvent(event => {
					runnerEvents.push(event);
					options.onEvent?.(event);
				});
				try {
					return await runner.run();
				} finally {
					stop();
				}
			},
			table(rows, headers) {
				record({type: 'table', rows, ...(headers ? {headers} : {})});
			},
			info(message) {
				record({type: 'info', message});
			},
			success(title, lines = []) {
				record({type: 'success', title, lines});
			},
			warn(message) {
				record({type: 'warn', message});
			},
		};
	};

	const ui: Ui = {
		...block(),
		step(step) {
			events.push({type: 'step', step});
		},
		// Recorded as the message a person reads.
		alreadyDone(text) {
			events.push({type: 'info', message: `Already done: ${text}`});
		},
		group(label): UiGroup {
			events.push({type: 'group', group: label});
			return {
				...block(label),
				close({ok, text}) {
					events.push({type: 'close', ok, text, group: label});
				},
			};
		},
		async end() {},
	};

	const of = <T extends UiEvent['type']>(type: T) => events.filter((event): event is Extract<UiEvent, {type: T}> => event.type === type);
	return {
		ui,
		events,
		runnerEvents,
		of,
		steps: () => of('step').map(({step}) => `${step.index}/${step.total} ${step.title}`),
		messages: (type: 'info' | 'warn') => of(type).map(event => event.message),
		tasks: () => of('task').map(event => `${event.title}: ${event.outcome}`),
		/** What each failed task said, as the UI shows it under the task. */
		failures: () => of('task').flatMap(event => event.error ?? []),
		transcript: () => events.map(event => JSON.stringify(event)).join('\n'),
	};
}

export type RecordingUi = ReturnType<typeof createRecordingUi>;
