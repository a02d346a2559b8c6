import {systemClock} from '../clock.js';
import {validateGraph} from './graph.js';
import {startScheduler} from './scheduler.js';
import {createTaskStore} from './store.js';
import type {RunnerSnapshot, Task, TaskRunner, TaskRunnerOptions} from './types.js';

export type * from './types.js';

/**
Runs provisioning tasks as a dependency graph: independent tasks in parallel, each after what it needs, with skip
checks, and abort. Four small parts: the graph check (graph.ts), the store the views read (store.ts:
`subscribe`/`getSnapshot`), the scheduler (scheduler.ts: concurrency, needs, abort) and one run of a task (attempt.ts).

@example
```
const runner = createTaskRunner([
	{id: 'activate', title: 'Activate Functions', run: async ({signal}) => api.activate({signal})},
	{id: 'secret', title: 'Install secret', needs: ['activate'], check: isInstalled, run: install},
], {signal});
const snapshot = await ui.runTasks(runner);
```
*/
export function createTaskRunner(tasks: readonly Task[], options: TaskRunnerOptions = {}): TaskRunner {
	validateGraph(tasks);
	const concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
	if (!(concurrency >= 1)) {
		throw new Error(`Concurrency must be at least 1, got ${concurrency}.`);
	}

	const clock = options.clock ?? systemClock;
	const signal = options.signal ?? new AbortController().signal;
	const store = createTaskStore(tasks, clock);
	let runPromise: Promise<RunnerSnapshot> | undefined;
	return {
		subscribe: store.subscribe,
		getSnapshot: store.getSnapshot,
		onEvent: store.onEvent,
		run() {
			runPromise ??= new Promise<RunnerSnapshot>(resolve => {
				store.stamp('startedAt');
				startScheduler({tasks, store, signal, concurrency, clock}, () => {
					resolve(store.stamp('endedAt'));
				});
			});
			return runPromise;
		},
	};
}
