import type {Clock} from '../clock.js';
import {runTask} from './attempt.js';
import type {TaskStore} from './store.js';
import {isSettled, type Task} from './types.js';

export type SchedulerOptions = {
	readonly tasks: readonly Task[];
	readonly store: TaskStore;
	readonly signal: AbortSignal;
	readonly concurrency: number;
	readonly clock: Clock;
};

/**
Starts every task whose needs are met (at most `concurrency` at once), blocks those whose needs failed, cancels what is
pending once the signal aborts, and calls `onSettled` once every task is settled.
*/
export function startScheduler(
	{tasks, store, signal, concurrency, clock}: SchedulerOptions,
	onSettled: () => void,
): void {
	let running = 0;
	let scheduling = false;
	let scheduleAgain = false;
	let settled = false;

	const finishIfSettled = () => {
		if (!settled && running === 0 && tasks.every(task => isSettled(store.state(task.id).status))) {
			settled = true;
			signal.removeEventListener('abort', schedule);
			onSettled();
		}
	};

	const pass = () => {
		if (signal.aborted) {
			for (const task of tasks) {
				if (store.state(task.id).status === 'pending') {
					store.setStatus(task.id, 'cancelled', {detail: undefined});
				}
			}

			return;
		}

		let changed = true;
		while (changed) {
			changed = false;
			for (const task of tasks) {
				if (store.state(task.id).status !== 'pending') {
					continue;
				}

				const needs = (task.needs ?? []).map(id => store.state(id));
				const broken = needs.find(need => need.status === 'failed' || need.status === 'blocked' || need.status === 'cancelled');
				if (broken) {
					store.setStatus(task.id, broken.status === 'cancelled' ? 'cancelled' : 'blocked', {detail: `needs ${broken.title}`});
					changed = true;
				} else if (running < concurrency && needs.every(need => need.status === 'done' || need.status === 'skipped')) {
					running++;
					void runTask(task, {store, signal, clock}, () => {
						running--;
						schedule();
					});
					changed = true;
				}
			}
		}
	};

	function schedule() {
		// A task that settles synchronously calls back in here; let the outer pass redo it.
		if (scheduling) {
			scheduleAgain = true;
			return;
		}

		scheduling = true;
		try {
			do {
				scheduleAgain = false;
				pass();
			} while (scheduleAgain);
		} finally {
			scheduling = false;
		}

		finishIfSettled();
	}

	signal.addEventListener('abort', schedule, {once: true});
	schedule();
}
