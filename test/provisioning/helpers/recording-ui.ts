import type {RunnerEvent, RunnerSnapshot, TaskRunner} from '../../../source/tasks/task-runner.js';
import type {StepInfo, Ui, UiGroup} from '../../../source/ui/ui.js';

export type UiCall =
	| {readonly method: 'step' | 'info' | 'warn'; readonly text: string}
	| {readonly method: 'task'; readonly title: string}
	| {readonly method: 'success'; readonly title: string; readonly lines: readonly string[]}
	| {readonly method: 'table'; readonly rows: ReadonlyArray<readonly [string, string]>; readonly headers?: readonly [string, string]}
	| {readonly method: 'runTasks'}
	| {readonly method: 'group'; readonly label: string}
	| {readonly method: 'close'; readonly label: string; readonly ok: boolean; readonly text: string};

/**
A Ui that draws nothing: it records every call and the runner's events, and runs the runner like the real ones do.
`onEvent` lets a test act in the middle of a run (e.g. abort after the first task is done).
*/
export function createRecordingUi(options: {onEvent?: (event: RunnerEvent) => void} = {}) {
	const calls: UiCall[] = [];
	const events: RunnerEvent[] = [];
	const ui = {
		step(step: StepInfo) {
			calls.push({method: 'step', text: step.title});
		},
		async task<T>(title: string, run: () => Promise<T>): Promise<T> {
			calls.push({method: 'task', title});
			return run();
		},
		async runTasks(runner: TaskRunner): Promise<RunnerSnapshot> {
			calls.push({method: 'runTasks'});
			const stop = runner.onEvent(event => {
				events.push(event);
				options.onEvent?.(event);
			});
			try {
				return await runner.run();
			} finally {
				stop();
			}
		},
		table(rows: ReadonlyArray<readonly [string, string]>, headers?: readonly [string, string]) {
			calls.push({method: 'table', rows, ...(headers ? {headers} : {})});
		},
		info(text: string) {
			calls.push({method: 'info', text});
		},
		success(title: string, lines: readonly string[] = []) {
			calls.push({method: 'success', title, lines});
		},
		warn(text: string) {
			calls.push({method: 'warn', text});
		},
		group(label: string): UiGroup {
			calls.push({method: 'group', label});
			const {step: _step, group: _group, end: _end, ...rest} = ui;
			return {
				...rest,
				close({ok, text}) {
					calls.push({method: 'close', label, ok, text});
				},
			};
		},
		async end() {},
	} satisfies Ui;
	return {ui, calls, events, warnings: () => calls.flatMap(call => call.method === 'warn' ? [call.text] : [])};
}
