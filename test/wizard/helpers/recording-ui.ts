import type {RunnerSnapshot, TaskRunner} from '../../../source/tasks/task-runner.js';
import type {StepInfo, Ui} from '../../../source/ui/ui.js';

export type UiEvent =
	| {readonly type: 'step'; readonly step: StepInfo}
	| {readonly type: 'task'; readonly title: string; readonly outcome: 'ok' | 'failed'}
	| {readonly type: 'runTasks'}
	| {readonly type: 'table'; readonly rows: ReadonlyArray<readonly [string, string]>; readonly headers?: readonly [string, string]}
	| {readonly type: 'info' | 'warn'; readonly message: string}
	| {readonly type: 'success'; readonly title: string; readonly lines: readonly string[]};

/** A Ui that draws nothing and records every call; `transcript()` is everything shown, as text, for "never shows a secret" checks. */
export function createRecordingUi() {
	const events: UiEvent[] = [];
	const ui: Ui = {
		step(step) {
			events.push({type: 'step', step});
		},
		async task(title, run) {
			try {
				const result = await run();
				events.push({type: 'task', title, outcome: 'ok'});
				return result;
			} catch (error) {
				events.push({type: 'task', title, outcome: 'failed'});
				throw error;
			}
		},
		async runTasks(runner: TaskRunner): Promise<RunnerSnapshot> {
			events.push({type: 'runTasks'});
			return runner.run();
		},
		table(rows, headers) {
			events.push({type: 'table', rows, ...(headers ? {headers} : {})});
		},
		info(message) {
			events.push({type: 'info', message});
		},
		success(title, lines = []) {
			events.push({type: 'success', title, lines});
		},
		warn(message) {
			events.push({type: 'warn', message});
		},
		// `provision --accounts`: each account's block records into the same list.
		group() {
			const {step: _step, group: _group, end: _end, ...block} = ui;
			return {...block, close() {}};
		},
		async end() {},
	};

	const of = <T extends UiEvent['type']>(type: T) => events.filter((event): event is Extract<UiEvent, {type: T}> => event.type === type);
	return {
		ui,
		events,
		of,
		steps: () => of('step').map(({step}) => `${step.index}/${step.total} ${step.title}`),
		messages: (type: 'info' | 'warn') => of(type).map(event => event.message),
		tasks: () => of('task').map(event => `${event.title}: ${event.outcome}`),
		transcript: () => events.map(event => JSON.stringify(event)).join('\n'),
	};
}
