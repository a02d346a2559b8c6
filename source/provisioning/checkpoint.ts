import {join} from 'node:path';
import type {Clock} from '../clock.js';
import {jsonMaxBytes, writeJsonAtomic} from '../config/json-file.js';
import {acquireLock, describeHolder, type Lock} from '../config/lock.js';
import {EnvironmentError} from '../errors.js';
import type {FunctionsVersion} from '../liveperson/types.js';
import {formatSize, readFileCapped} from '../system/read-input.js';
import type {RunnerEvent, TaskRunner, TaskStatus} from '../tasks/task-runner.js';

export type CheckpointEntry = {
	readonly status: TaskStatus;
	/** Attempts over every run until the task was done. */
	readonly attempts: number;
	/** Wall time of the last run of the task. */
	readonly ms?: number;
	/** ISO time of the last change. */
	readonly updatedAt: string;
};

/** What `provision-{accountId}.json` holds: the last known status of each task. The server stays the truth. */
export type Checkpoint = {
	readonly accountId: string;
	readonly functionsVersion?: FunctionsVersion;
	readonly tasks: Readonly<Record<string, CheckpointEntry>>;
};

const statuses = new Set<string>(['pending', 'running', 'done', 'skipped', 'failed', 'blocked', 'cancelled']);
const terminal = new Set<TaskStatus>(['done', 'skipped', 'failed', 'blocked', 'cancelled']);

export function checkpointFile(stateDir: string, accountId: string): string {
	return join(stateDir, `provision-${accountId.replaceAll(/[^\w-]/g, '_')}.json`);
}

/**
Takes the lock of an account's checkpoint for a whole provisioning run, or refuses at once: a second run on the same
account would share the live run's checkpoint, report its tasks as resumed, and send the same calls twice.
*/
export async function lockCheckpoint(stateDir: string, accountId: string): Promise<Lock> {
	return acquireLock(checkpointFile(stateDir, accountId), {
		timeoutMs: 0,
		busyError: (holder, lockPath) => new EnvironmentError(
			`Account ${accountId} is being provisioned by another lp-onboard (${describeHolder(holder)}).`,
			`Wait for that run to finish, then run this again: it checks every task against LivePerson. If no lp-onboard is running, delete ${lockPath}.`,
			{path: lockPath},
		),
	});
}

function isEntry(value: unknown): value is CheckpointEntry {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const entry = value as Record<string, unknown>;
	return typeof entry['status'] === 'string' && statuses.has(entry['status'])
		&& typeof entry['attempts'] === 'number' && Number.isInteger(entry['attempts']) && entry['attempts'] >= 0
		&& (entry['ms'] === undefined || typeof entry['ms'] === 'number')
		&& typeof entry['updatedAt'] === 'string';
}

function parseCheckpoint(text: string, accountId: string): Checkpoint | undefined {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return undefined;
	}

	if (typeof data !== 'object' || data === null) {
		return undefined;
	}

	const {accountId: id, functionsVersion, tasks} = data as Record<string, unknown>;
	if (id !== accountId || typeof tasks !== 'object' || tasks === null || Array.isArray(tasks)) {
		return undefined;
	}

	if (!Object.values(tasks).every(entry => isEntry(entry))) {
		return undefined;
	}

	return {
		accountId,
		...(functionsVersion === 1 || functionsVersion === 2 ? {functionsVersion} : {}),
		tasks: tasks as Record<string, CheckpointEntry>,
	};
}

/**
Reads the checkpoint of an earlier run. A missing file is a first run; an unreadable or corrupt one is ignored with a
warning (the tasks check the server anyway), never an error.
*/
export async function loadCheckpoint(
	stateDir: string,
	accountId: string,
	warn: (message: string) => void,
): Promise<Checkpoint | undefined> {
	const file = checkpointFile(stateDir, accountId);
	let text: string;
	try {
		const read = await readFileCapped(file, {maxBytes: jsonMaxBytes});
		if (read.tooLarge) {
			warn(`Ignoring the provisioning checkpoint ${file}: it is too large (over ${formatSize(jsonMaxBytes)}).`);
			return undefined;
		}

		text = read.bytes.toString('utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			warn(`Ignoring the provisioning checkpoint ${file}: ${(error as Error).message.replace(/\.+$/, '')}.`);
		}

		return undefined;
	}

	const checkpoint = parseCheckpoint(text, accountId);
	if (!checkpoint) {
		warn(`Ignoring the provisioning checkpoint ${file}: it is not valid; every task is checked against LivePerson instead.`);
	}

	return checkpoint;
}

export type CheckpointRecorder = {
	/** The entries as recorded so far (earlier runs merged with this one). */
	entries(): Readonly<Record<string, CheckpointEntry>>;
	/** Waits for every pending write. Never rejects. */
	flush(): Promise<void>;
	/** Stops listening to the runner. */
	stop(): void;
};

export type RecordCheckpointOptions = {
	readonly runner: TaskRunner;
	readonly stateDir: string;
	readonly accountId: string;
	readonly functionsVersion: FunctionsVersion;
	readonly previous?: Checkpoint;
	readonly clock: Clock;
	/** Called once when the file cannot be written; provisioning goes on without it. */
	readonly warn: (message: string) => void;
};

/**
Keeps `provision-{accountId}.json` up to date from the runner's events, one atomic write at a time, so an interrupted
run leaves a file that says what had finished.
*/
export function recordCheckpoint(options: RecordCheckpointOptions): CheckpointRecorder {
	const {runner, stateDir, accountId, functionsVersion, clock, warn} = options;
	const file = checkpointFile(stateDir, accountId);
	const previous = options.previous?.tasks ?? {};
	const entries: Record<string, CheckpointEntry> = {...previous};
	const startedAt = new Map<string, number>();
	let writes = Promise.resolve();
	let dirty = false;
	let warned = false;

	const write = () => {
		dirty = true;
		writes = writes.then(async () => {
			// Coalesce: events that arrived while the last write was running are all in this one.
			if (!dirty) {
				return;
			}

			dirty = false;
			try {
				await writeJsonAtomic(file, {accountId, functionsVersion, tasks: entries} satisfies Checkpoint);
			} catch (error) {
				if (!warned) {
					warned = true;
					warn(`Could not save the provisioning checkpoint ${file}: ${(error as Error).message.replace(/\.+$/, '')}.`);
				}
			}
		});
	};

	const onEvent = (event: RunnerEvent) => {
		if (event.type !== 'status') {
			return;
		}

		const now = clock.now();
		if (event.status === 'running' && !startedAt.has(event.id)) {
			startedAt.set(event.id, now);
		}

		const before = previous[event.id];
		// Attempts add up over runs until the task is done; a task done earlier keeps its count.
		const doneBefore = before?.status === 'done' || before?.status === 'skipped';
		const attempts = doneBefore ? before.attempts : (before?.attempts ?? 0) + event.attempt;
		const began = startedAt.get(event.id);
		// A task that an earlier run did and this run found done stays "done": that is what the file is for.
		const status = event.status === 'skipped' && before?.status === 'done' ? 'done' : event.status;
		entries[event.id] = {
			status,
			attempts,
			...(terminal.has(event.status) && began !== undefined ? {ms: now - began} : {}),
			updatedAt: new Date(now).toISOString(),
		};
		write();
	};

	const unsubscribe = runner.onEvent(onEvent);
	return {
		entries: () => entries,
		flush: async () => writes,
		stop() {
			if (typeof unsubscribe === 'function') {
				unsubscribe();
			}
		},
	};
}
