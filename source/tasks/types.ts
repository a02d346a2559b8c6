import type {Clock} from '../clock.js';

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
	/** Reports how far the task is. The store clamps the value to 0..1; reports after the task settled are ignored. */
	report(progress: {completed: number; total: number; detail?: string}): void;
	/** A call of the task pauses before a retry (the HTTP client's `onRetry`): shown until the next report. */
	retrying(event: RetryNotice): void;
};

/** A call's retry as the HTTP client tells it (liveperson/http.ts `RetryEvent`): "retrying in 5 s, 1 of 3". */
export type RetryNotice = {
	/** The retry about to be sent: 1 for the first one. */
	readonly attempt: number;
	readonly maxAttempts: number;
	readonly delayMs: number;
	/** Why, e.g. `LivePerson answered 503`. */
	readonly reason: string;
};

export type Task = {
	readonly id: string;
	readonly title: string;
	/**
	The title of a wait this task shares with others that LivePerson finishes together (V2's UI provisioning): the views
	draw them as one bar with their titles under it. Consecutive tasks with the same wait form it.
	*/
	readonly wait?: string;
	/** Ids of the tasks this one waits for. It starts when all of them are done or skipped. */
	readonly needs?: readonly string[];
	/**
	Returns a reason when the work is already done ("already installed"); the task is then skipped with that reason as its
	detail. It runs at the start of every attempt, so a retry after a half-done attempt finds what already went through.
	*/
	readonly check?: (signal: AbortSignal) => Promise<string | undefined>;
	/**
	Does the work, once. A returned string becomes the detail of the done line; `{alreadyDone}` settles it as skipped (the
	work turned out to be there already) with that detail. Errors become the task's error (with an `LpError`'s hint).
	*/
	run(context: TaskContext): Promise<string | void | {readonly alreadyDone: string}>;
};

export type TaskError = {readonly message: string; readonly hint?: string};

export type TaskState = {
	readonly id: string;
	readonly title: string;
	/** See `Task.wait`. */
	readonly wait?: string;
	readonly status: TaskStatus;
	/** 0..1 (clamped by the store, so views draw it as is); 1 once done. */
	readonly progress: number;
	readonly detail?: string;
	/** Attempts started in this run: 0 while pending, then 1 (a checkpoint adds those of interrupted runs). */
	readonly attempts: number;
	/** The retry a call of the running task waits for, until its next report. */
	readonly retry?: RetryNotice;
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
	| {type: 'progress'; id: string; progress: number; detail?: string};

export type TaskRunner = {
	/** For `useSyncExternalStore` and the plain printer: called after every change. */
	subscribe(listener: () => void): () => void;
	/** The same object until something changes, as `useSyncExternalStore` requires. */
	getSnapshot(): RunnerSnapshot;
	/** Every change as an event, for checkpoints and tests (views read snapshots). */
	onEvent(listener: (event: RunnerEvent) => void): () => void;
	/**
	Runs the tasks once (later calls return the same promise). Resolves when every task is settled; task failures never
	reject it.
	*/
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

export const isSettled = (status: TaskStatus) => status !== 'pending' && status !== 'running';
