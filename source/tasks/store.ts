import type {Clock} from '../clock.js';
import {isSettled, type RetryNotice, type RunnerEvent, type RunnerSnapshot, type Task, type TaskState, type TaskStatus} from './types.js';

type Patch = Partial<Omit<TaskState, 'id' | 'title' | 'status'>>;

/** The tasks' states, published as immutable snapshots; the only writer is the scheduler, the readers are the views. */
export type TaskStore = {
	subscribe(listener: () => void): () => void;
	getSnapshot(): RunnerSnapshot;
	onEvent(listener: (event: RunnerEvent) => void): () => void;
	state(id: string): TaskState;
	/** Sets a task's status with what goes with it; stamps `endedAt` when it settles and drops the retry notice. */
	setStatus(id: string, status: TaskStatus, patch?: Patch): void;
	/**
	A running task's progress, clamped to 0..1 here and nowhere else; ignored once it settled. Drops the retry notice.
	*/
	report(id: string, progress: {completed: number; total: number; detail?: string}): void;
	/** A call of the running task pauses before a retry; ignored once it settled. */
	retrying(id: string, notice: RetryNotice): void;
	/** Stamps the run's start or end on the snapshot. */
	stamp(key: 'startedAt' | 'endedAt'): RunnerSnapshot;
};

/** Keys whose `undefined` in a patch means "remove it", so states stay clean for deepEqual and printing. */
const removable = ['detail', 'error', 'endedAt', 'retry'] as const;

function clamp(completed: number, total: number): number {
	if (!(total > 0) || !Number.isFinite(completed)) {
		return 0;
	}

	return Math.min(1, Math.max(0, completed / total));
}

export function createTaskStore(tasks: readonly Task[], clock: Pick<Clock, 'now'>): TaskStore {
	const indexById = new Map(tasks.map((task, index) => [task.id, index]));
	let states: TaskState[] = tasks.map(task => ({id: task.id, title: task.title, ...(task.wait ? {wait: task.wait} : {}), status: 'pending', progress: 0, attempts: 0}));
	let snapshot: RunnerSnapshot = {tasks: states};
	const listeners = new Set<() => void>();
	const eventListeners = new Set<(event: RunnerEvent) => void>();

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

	const state = (id: string): TaskState => states[indexById.get(id)!]!;

	/** Replaces one task's state, publishes a new snapshot, tells the listeners, then the event listeners. */
	const update = (id: string, patch: Patch & {status?: TaskStatus}, event: RunnerEvent) => {
		const index = indexById.get(id)!;
		const next: TaskState = {...states[index]!, ...patch};
		for (const key of removable) {
			if (key in patch && patch[key] === undefined) {
				delete (next as Record<string, unknown>)[key];
			}
		}

		states = states.with(index, next);
		snapshot = {...snapshot, tasks: states};
		notify();
		for (const listener of [...eventListeners]) {
			call(listener, event);
		}
	};

	const subscribeTo = <T>(set: Set<T>, listener: T) => {
		set.add(listener);
		return () => {
			set.delete(listener);
		};
	};

	return {
		subscribe: listener => subscribeTo(listeners, listener),
		getSnapshot: () => snapshot,
		onEvent: listener => subscribeTo(eventListeners, listener),
		state,
		setStatus(id, status, patch = {}) {
			const before = state(id);
			const attempt = patch.attempts ?? before.attempts;
			const detail = 'detail' in patch ? patch.detail : before.detail;
			const ended = isSettled(status) ? {endedAt: clock.now()} : {};
			update(id, {retry: undefined, ...patch, ...ended, status}, {type: 'status', id, status, attempt, ...(detail === undefined ? {} : {detail})});
		},
		report(id, {completed, total, detail}) {
			const before = state(id);
			if (before.status !== 'running') {
				return;
			}

			const progress = clamp(completed, total);
			if (progress !== before.progress || detail !== before.detail || before.retry) {
				update(id, {progress, detail, retry: undefined}, {type: 'progress', id, progress, ...(detail === undefined ? {} : {detail})});
			}
		},
		retrying(id, notice) {
			if (state(id).status === 'running') {
				update(id, {retry: notice}, {type: 'progress', id, progress: state(id).progress});
			}
		},
		stamp(key) {
			snapshot = {...snapshot, [key]: clock.now()};
			notify();
			return snapshot;
		},
	};
}
