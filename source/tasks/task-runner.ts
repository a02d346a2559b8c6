import {type Clock, systemClock} from '../clock.js';

export type TaskStatus =
	| 'pending'
	| 'running'
	| 'done'
	| 'skipped'
	| 'failed'
	/** A task it needs failed or was blocked; it never started. */
	| 'blocked'
	/** The run was aborted before or while it ran. */
	| 'cancelled';

export type TaskContext = {
	/** Aborts when the run is aborted; pass it to every request the task makes. */
	readonly signal: AbortSignal;
	/** Reports how far the task is. Values are clamped to 0..1; reports after the attempt ended are ignored. */
	report(progress: {completed: number; total: number; detail?: string}): void;
	/** 1 for the first try, 2 for the first retry, … */
	readonly attempt: number;
};

export type TaskRetry = {
	/** How many times to try in total, the first one included. */
	readonly attempts: number;
	/**
	Delay before the first retry; each further retry waits twice as long.

	@default 500
	*/
	readonly baseMs?: number;
	/**
	Whether an error is worth another try (e.g. a 503, not a 401).

	@default () => true
	*/
	readonly shouldRetry?: (error: unknown) => boolean;
};

export type Task = {
	readonly id: string;
	readonly title: string;
	/** Ids of the tasks this one waits for. It starts when all of them are done or skipped. */
	readonly needs?: readonly string[];
	/**
	Returns a reason when the work is already done ("already installed"); the task is then skipped with that reason as its
	detail. It runs at the start of every attempt, so a retry after a half-done attempt finds what already went through.
	*/
	readonly check?: (signal: AbortSignal) => Promise<string | undefined>;
	/** Does the work. A returned string becomes the detail of the done line. Errors become the task's error (with an `LpError`'s hint). */
	run(context: TaskContext): Promise<string | void>;
	/** Retries with exponential backoff. Without it, a task is tried once. */
	readonly retry?: TaskRetry;
};

export type TaskError = {readonly message: string; readonly hint?: string};

export type TaskState = {
	readonly id: string;
	readonly title: string;
	readonly status: TaskStatus;
	/** 0..1; 1 once done. */
	readonly progress: number;
	readonly detail?: string;
	/** Attempts started so far (0 while pending). */
	readonly attempts: number;
	/** Clock time the first attempt started. */
	readonly startedAt?: number;
	readonly endedAt?: number;
	readonly error?: TaskError;
};

export type RunnerSnapshot = {
	/** In the order the tasks were given. */
	readonly tasks: readonly TaskState[];
	readonly startedAt?: number;
	readonly endedAt?: number;
};

export type RunnerEvent =
	| {type: 'status'; id: string; status: TaskStatus; attempt: number; detail?: string}
	| {type: 'progress'; id: string; progress: number; detail?: string}
	/** An attempt failed and another one follows after the backoff. `attempt` is the attempt that failed. */
	| {type: 'retry'; id: string; attempt: number; error: string};

export type TaskRunner = {
	/** For `useSyncExternalStore`: called after every change. */
	subscribe(listener: () => void): () => void;
	/** The same object until something changes, as `useSyncExternalStore` requires. */
	getSnapshot(): RunnerSnapshot;
	/** Every change as an event, for the plain printer, checkpoints and tests. */
	onEvent(listener: (event: RunnerEvent) => void): () => void;
	/** Runs the tasks once (later calls return the same promise). Resolves when every task is settled; task failures never reject it. */
	run(): Promise<RunnerSnapshot>;
};

export type TaskRunnerOptions = {
	/**
	How many tasks may run at once.

	@default Infinity
	*/
	readonly concurrency?: number;
	/** Aborting it hands the abort to running tasks and cancels pending ones. */
	readonly signal?: AbortSignal;
	/** @default systemClock */
	readonly clock?: Clock;
};

const defaultBaseMs = 500;

const isSettled = (status: TaskStatus) => status !== 'pending' && status !== 'running';

/** Throws when ids repeat, a task needs an unknown id, or the needs form a cycle. */
function validate(tasks: readonly Task[]): void {
	const byId = new Map<string, Task>();
	for (const task of tasks) {
		if (byId.has(task.id)) {
			throw new Error(`Task id "${task.id}" is used twice.`);
		}

		byId.set(task.id, task);
	}

	for (const task of tasks) {
		for (const need of task.needs ?? []) {
			if (!byId.has(need)) {
				throw new Error(`Task "${task.id}" needs "${need}", which is not a task.`);
			}
		}
	}

	// Depth-first search; a task met again while it is still on the path closes a cycle.
	const visited = new Set<string>();
	const path: string[] = [];
	const visit = (task: Task) => {
		const index = path.indexOf(task.id);
		if (index !== -1) {
			throw new Error(`Tasks depend on each other in a cycle: ${[...path.slice(index), task.id].join(' → ')}.`);
		}

		if (visited.has(task.id)) {
			return;
		}

		path.push(task.id);
		for (const need of task.needs ?? []) {
			visit(byId.get(need)!);
		}

		path.pop();
		visited.add(task.id);
	};

	for (const task of tasks) {
		visit(task);
	}
}

function toTaskError(error: unknown): TaskError {
	if (error instanceof Error) {
		// Duck-typed so errors from other copies of errors.ts (or other libraries) keep their hint too.
		const {hint} = error as {hint?: unknown};
		return typeof hint === 'string' && hint !== '' ? {message: error.message, hint} : {message: error.message};
	}

	return {message: String(error)};
}

function clampProgress(completed: number, total: number): number {
	if (!(total > 0) || !Number.isFinite(completed)) {
		return 0;
	}

	return Math.min(1, Math.max(0, completed / total));
}

/**
Runs provisioning tasks as a dependency graph: independent tasks in parallel, each after what it needs, with per-task retries,
skip checks and abort. It is also the store the views read: `subscribe`/`getSnapshot` for Ink, `onEvent` for the line printer.

@example
```
const runner = createTaskRunner([
	{id: 'activate', title: 'Activate Functions', run: async ({signal}) => api.activate({signal})},
	{id: 'secret', title: 'Install secret', needs: ['activate'], check: isInstalled, run: install, retry: {attempts: 3}},
], {signal});
const snapshot = await ui.runTasks(runner);
```
*/
export function createTaskRunner(tasks: readonly Task[], options: TaskRunnerOptions = {}): TaskRunner {
	validate(tasks);
	const concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
	if (!(concurrency >= 1)) {
		throw new Error(`Concurrency must be at least 1, got ${concurrency}.`);
	}

	const clock = options.clock ?? systemClock;
	const signal = options.signal ?? new AbortController().signal;
	const indexById = new Map(tasks.map((task, index) => [task.id, index]));
	const titleById = new Map(tasks.map(task => [task.id, task.title]));

	let states: TaskState[] = tasks.map(task => ({id: task.id, title: task.title, status: 'pending', progress: 0, attempts: 0}));
	let snapshot: RunnerSnapshot = {tasks: states};
	const listeners = new Set<() => void>();
	const eventListeners = new Set<(event: RunnerEvent) => void>();
	let running = 0;
	let runPromise: Promise<RunnerSnapshot> | undefined;
	let resolveRun: ((snapshot: RunnerSnapshot) => void) | undefined;
	let scheduling = false;
	let scheduleAgain = false;

	// A listener that throws must not stall the run; its error still surfaces, as an uncaught exception.
	const call = <T>(listener: (value: T) => void, value: T) => {
		try {
			listener(value);
		} catch (error) {
			queueMicrotask(() => {
				throw error;
			});
		}
	};

	const notify = () => {
		for (const listener of [...listeners]) {
			call(listener, undefined);
		}
	};

	const emit = (event: RunnerEvent) => {
		for (const listener of [...eventListeners]) {
			call(listener, event);
		}
	};

	const stateOf = (id: string): TaskState => states[indexById.get(id)!]!;

	/** Replaces one task's state, publishes a new snapshot, then tells the listeners. */
	const update = (id: string, patch: Partial<Omit<TaskState, 'id' | 'title'>>, event?: RunnerEvent) => {
		const index = indexById.get(id)!;
		const next: TaskState = {...states[index]!, ...patch};
		// `detail`/`error` set to undefined mean "remove it", so the state stays clean for deepEqual and printing.
		for (const key of ['detail', 'error', 'endedAt'] as const) {
			if (key in patch && patch[key] === undefined) {
				delete (next as Record<string, unknown>)[key];
			}
		}

		states = states.with(index, next);
		snapshot = {...snapshot, tasks: states};
		notify();
		if (event) {
			emit(event);
		}
	};

	const setStatus = (id: string, status: TaskStatus, patch: Partial<Omit<TaskState, 'id' | 'title' | 'status'>> = {}) => {
		const state = stateOf(id);
		const attempt = patch.attempts ?? state.attempts;
		const detail = 'detail' in patch ? patch.detail : state.detail;
		const ended = isSettled(status) ? {endedAt: clock.now()} : {};
		update(id, {...patch, ...ended, status}, {type: 'status', id, status, attempt, ...(detail === undefined ? {} : {detail})});
	};

	const cancelPending = () => {
		for (const state of states) {
			if (state.status === 'pending') {
				setStatus(state.id, 'cancelled', {detail: undefined});
			}
		}
	};

	const finishIfSettled = () => {
		if (resolveRun && running === 0 && states.every(state => isSettled(state.status))) {
			const resolve = resolveRun;
			resolveRun = undefined;
			snapshot = {...snapshot, endedAt: clock.now()};
			notify();
			resolve(snapshot);
		}
	};

	/** Starts every task whose needs are met, blocks those whose needs failed, until nothing changes. */
	const schedule = () => {
		// A task that settles synchronously (run() throwing before its first await) calls back in here; let the outer pass redo it.
		if (scheduling) {
			scheduleAgain = true;
			return;
		}

		scheduling = true;
		try {
			do {
				scheduleAgain = false;
				schedulePass();
			} while (scheduleAgain);
		} finally {
			scheduling = false;
		}

		finishIfSettled();
	};

	const schedulePass = () => {
		if (signal.aborted) {
			cancelPending();
			return;
		}

		let changed = true;
		while (changed) {
			changed = false;
			for (const task of tasks) {
				if (stateOf(task.id).status !== 'pending') {
					continue;
				}

				const needs = (task.needs ?? []).map(id => stateOf(id));
				const broken = needs.find(need => need.status === 'failed' || need.status === 'blocked' || need.status === 'cancelled');
				if (broken) {
					const status = broken.status === 'cancelled' ? 'cancelled' : 'blocked';
					setStatus(task.id, status, {detail: `needs ${titleById.get(broken.id)!}`});
					changed = true;
				} else if (running < concurrency && needs.every(need => need.status === 'done' || need.status === 'skipped')) {
					running++;
					void execute(task);
					changed = true;
				}
			}
		}
	};

	/** Runs one task through its attempts and settles it. Never rejects. */
	const execute = async (task: Task) => {
		const maxAttempts = Math.max(1, Math.floor(task.retry?.attempts ?? 1));
		const baseMs = task.retry?.baseMs ?? defaultBaseMs;
		const shouldRetry = task.retry?.shouldRetry ?? (() => true);
		let attempt = 1;
		setStatus(task.id, 'running', {attempts: attempt, startedAt: clock.now(), progress: 0, detail: undefined});
		try {
			for (;;) {
				const current = attempt;
				try {
					// eslint-disable-next-line no-await-in-loop
					const reason = task.check ? await task.check(signal) : undefined;
					if (reason !== undefined) {
						setStatus(task.id, 'skipped', {progress: 1, detail: reason});
						return;
					}

					const context: TaskContext = {
						signal,
						attempt: current,
						report({completed, total, detail}) {
							const state = stateOf(task.id);
							if (state.status !== 'running' || state.attempts !== current) {
								return;
							}

							const progress = clampProgress(completed, total);
							if (progress === state.progress && detail === state.detail) {
								return;
							}

							update(task.id, {progress, detail}, {type: 'progress', id: task.id, progress, ...(detail === undefined ? {} : {detail})});
						},
					};
					// eslint-disable-next-line no-await-in-loop
					const result = await task.run(context);
					setStatus(task.id, 'done', {progress: 1, detail: typeof result === 'string' ? result : undefined});
					return;
				} catch (error) {
					if (signal.aborted) {
						setStatus(task.id, 'cancelled', {detail: undefined});
						return;
					}

					if (current >= maxAttempts || !shouldRetry(error)) {
						setStatus(task.id, 'failed', {error: toTaskError(error), detail: undefined});
						return;
					}

					const {message} = toTaskError(error);
					// The detail tells the live view why a running task seems to stall during the backoff.
					update(task.id, {detail: `attempt ${current} failed: ${message}; retrying`}, {type: 'retry', id: task.id, attempt: current, error: message});
				}

				try {
					// eslint-disable-next-line no-await-in-loop
					await clock.sleep(baseMs * 2 ** (current - 1), signal);
				} catch {}

				if (signal.aborted) {
					setStatus(task.id, 'cancelled', {detail: undefined});
					return;
				}

				attempt = current + 1;
				setStatus(task.id, 'running', {attempts: attempt, progress: 0, detail: undefined});
			}
		} catch (error) {
			// Only a throwing shouldRetry gets here; settle the task rather than hang the run.
			setStatus(task.id, 'failed', {error: toTaskError(error), detail: undefined});
		} finally {
			running--;
			schedule();
		}
	};

	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		getSnapshot: () => snapshot,
		onEvent(listener) {
			eventListeners.add(listener);
			return () => {
				eventListeners.delete(listener);
			};
		},
		run() {
			runPromise ??= new Promise<RunnerSnapshot>(resolve => {
				resolveRun = resolve;
				snapshot = {...snapshot, startedAt: clock.now()};
				notify();
				signal.addEventListener('abort', schedule, {once: true});
				schedule();
			}).finally(() => {
				signal.removeEventListener('abort', schedule);
			});
			return runPromise;
		},
	};
}
