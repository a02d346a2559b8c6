import type {Clock} from '../clock.js';
import type {TaskStore} from './store.js';
import type {Task, TaskError} from './types.js';

const defaultBaseMs = 500;

export function toTaskError(error: unknown): TaskError {
	if (error instanceof Error) {
		// Duck-typed so errors from other copies of errors.ts (or other libraries) keep their hint too.
		const {hint} = error as {hint?: unknown};
		return typeof hint === 'string' && hint !== '' ? {message: error.message, hint} : {message: error.message};
	}

	return {message: String(error)};
}

/**
Runs one task through its attempts: the check, then the work, then (if `task.retry` allows) a doubling backoff and another
attempt. Settles the task's state in the store, then calls `finished` at once (in the same tick, so the scheduler starts what
waited for it before anything else runs); never rejects.
*/
export async function runAttempts(
	task: Task,
	{store, signal, clock}: {readonly store: TaskStore; readonly signal: AbortSignal; readonly clock: Clock},
	finished: () => void,
): Promise<void> {
	const maxAttempts = Math.max(1, Math.floor(task.retry?.attempts ?? 1));
	const baseMs = task.retry?.baseMs ?? defaultBaseMs;
	const shouldRetry = task.retry?.shouldRetry ?? (() => true);
	const settle = (status: 'skipped' | 'done' | 'failed' | 'cancelled', patch: {progress?: number; detail?: string; error?: TaskError} = {}) => {
		store.setStatus(task.id, status, {detail: undefined, ...patch});
	};

	try {
		for (let attempt = 1; ; attempt++) {
			store.setStatus(task.id, 'running', {attempts: attempt, progress: 0, detail: undefined, ...(attempt === 1 ? {startedAt: clock.now()} : {})});
			let failure: unknown;
			try {
				const reason = task.check ? await task.check(signal) : undefined;
				if (reason !== undefined) {
					settle('skipped', {progress: 1, detail: reason});
					return;
				}

				const result = await task.run({signal, attempt, report: progress => store.report(task.id, attempt, progress)});
				settle('done', {progress: 1, ...(typeof result === 'string' ? {detail: result} : {})});
				return;
			} catch (error) {
				failure = error;
			}

			if (signal.aborted) {
				settle('cancelled');
				return;
			}

			if (attempt >= maxAttempts || !shouldRetry(failure)) {
				settle('failed', {error: toTaskError(failure)});
				return;
			}

			const delay = baseMs * 2 ** (attempt - 1);
			store.retrying(task.id, attempt, toTaskError(failure), clock.now() + delay);
			try {
				await clock.sleep(delay, signal);
			} catch {}

			if (signal.aborted) {
				settle('cancelled');
				return;
			}
		}
	} catch (error) {
		// Only a throwing shouldRetry gets here; settle the task rather than hang the run.
		settle('failed', {error: toTaskError(error)});
	} finally {
		finished();
	}
}
