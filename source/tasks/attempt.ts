import type {Clock} from '../clock.js';
import type {TaskStore} from './store.js';
import type {Task, TaskError} from './types.js';

export function toTaskError(error: unknown): TaskError {
	if (error instanceof Error) {
		// Duck-typed so errors from other copies of errors.ts (or other libraries) keep their hint too.
		const {hint} = error as {hint?: unknown};
		return typeof hint === 'string' && hint !== '' ? {message: error.message, hint} : {message: error.message};
	}

	return {message: String(error)};
}

/**
Runs one task once: the check, then the work. Settles the task's state in the store, then calls `finished` at once (in
the same tick, so the scheduler starts what waited for it before anything else runs); never rejects. Tasks are not
retried here: the HTTP client applies LivePerson's retry policy to each call (liveperson/retry-policy.ts) and tells the
task, which shows it.
*/
export async function runTask(
	task: Task,
	{store, signal, clock}: {readonly store: TaskStore; readonly signal: AbortSignal; readonly clock: Pick<Clock, 'now'>},
	finished: () => void,
): Promise<void> {
	const settle = (status: 'skipped' | 'done' | 'failed' | 'cancelled', patch: {progress?: number; detail?: string; error?: TaskError} = {}) => {
		store.setStatus(task.id, status, {detail: undefined, ...patch});
	};

	store.setStatus(task.id, 'running', {attempts: 1, progress: 0, detail: undefined, startedAt: clock.now()});
	try {
		const reason = task.check ? await task.check(signal) : undefined;
		if (reason !== undefined) {
			settle('skipped', {progress: 1, detail: reason});
			return;
		}

		const result = await task.run({
			signal,
			report: progress => store.report(task.id, progress),
			retrying: event => store.retrying(task.id, event),
		});
		if (typeof result === 'object') {
			settle('skipped', {progress: 1, detail: result.alreadyDone});
		} else {
			settle('done', {progress: 1, ...(typeof result === 'string' ? {detail: result} : {})});
		}
	} catch (error) {
		if (signal.aborted) {
			settle('cancelled');
		} else {
			settle('failed', {error: toTaskError(error)});
		}
	} finally {
		finished();
	}
}
