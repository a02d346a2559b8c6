import {readFileSync, type Stats, statSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import {resolve} from 'node:path';
import {exclusive, writeJsonAtomic} from '../config/json-file.js';
import type {Engine} from './http.js';
import {persistState, restoreState} from './state.js';

/** Where the accounts' state lives between runs; without a file, in memory only. */
export type StateStore = {
	/**
	Runs one request's change on the latest state and, when it changed what is persisted, saves it before the answer goes out.
	Changes that arrive while a save is under way are saved together by the next one.
	*/
	transact<T>(change: () => T): Promise<T>;
	/** A request that changes nothing persisted (a GET): picks up what another process wrote, then runs, without the lock. */
	read<T>(look: () => T): T;
	/** Picks up what another process wrote since (for reads outside a request, such as `state()`). */
	refresh(): void;
	/** Saves what only memory holds (the OAuth nonce window), once; the last call. */
	close(): Promise<void>;
};

export const memoryStore: StateStore = {
	transact: async change => change(),
	read: look => look(),
	refresh() {},
	async close() {},
};

type Outcome = {readonly ok: true; readonly value: unknown} | {readonly ok: false; readonly error: unknown};

type Pending = {
	readonly change: () => unknown;
	resolve(value: unknown): void;
	reject(error: unknown): void;
};

/**
Keeps the engine in `path`, which several sandboxes (a `--sandbox` run beside `lp-onboard sandbox`) may share. Changes are
committed in groups under the file's cross-process lock: re-read the file if another process replaced it, apply every change
waiting, write atomically once if anything changed, then answer each. So no process overwrites another's changes with an old
copy, and a burst of requests costs one write instead of one each. Reads take no lock.
*/
export function createStateFile(file: string, engine: Engine): StateStore {
	// One spelling per file, so two sandboxes of this process on it queue up instead of waiting on each other's lock.
	const path = resolve(file);
	let known: string | undefined;
	let committing = false;
	let pending: Pending[] = [];
	let draining: Promise<void> | undefined;
	let savedNonces = engine.nonces.version;
	const identity = (info: Stats) => `${info.ino} ${info.mtimeMs} ${info.size}`;
	const refresh = () => {
		let info: Stats;
		try {
			info = statSync(path);
		} catch {
			return; // No file yet (or gone): ours is the latest; the next change writes it.
		}

		// During a commit memory is ahead of the file, and the lock keeps other processes out: nothing to pick up.
		if (committing || identity(info) === known) {
			return;
		}

		known = identity(info);
		try {
			restoreState(JSON.parse(readFileSync(path, 'utf8')), engine, engine.serverNow());
		} catch {
			// Not a sandbox state (or unreadable): keep the state we have; the next change replaces the file.
		}
	};

	refresh();
	savedNonces = engine.nonces.version;
	const current = () => persistState(engine.accounts, engine.sessions, engine.now());
	// Applies the group and saves it under the lock; answers each request once the lock is released.
	const commit = async (batch: readonly Pending[], withNonces: boolean) => {
		const outcomes = await exclusive(path, async () => {
			refresh();
			committing = true;
			try {
				return await applyAndSave(batch, withNonces);
			} finally {
				committing = false;
			}
		});
		for (const [index, outcome] of outcomes.entries()) {
			if (outcome.ok) {
				batch[index]!.resolve(outcome.value);
			} else {
				batch[index]!.reject(outcome.error);
			}
		}
	};

	const applyAndSave = async (batch: readonly Pending[], withNonces: boolean) => {
		const before = JSON.stringify(current());
		const outcomes = batch.map(({change}): Outcome => {
			try {
				return {ok: true, value: change()};
			} catch (error) {
				return {ok: false, error};
			}
		});
		const after = current();
		if (JSON.stringify(after) === before && !(withNonces && engine.nonces.version !== savedNonces)) {
			return outcomes;
		}

		const nonceVersion = engine.nonces.version;
		try {
			await writeJsonAtomic(path, {...after, nonces: engine.nonces.entries(engine.serverNow())}, {mode: 0o600});
		} catch (error) {
			// Not saved, so not done: every request of the group fails (500) and leaves no trace, in memory or on disk.
			restoreState(JSON.parse(before), engine);
			return batch.map((): Outcome => ({ok: false, error}));
		}

		savedNonces = nonceVersion;
		known = identity(await stat(path));
		return outcomes;
	};

	const drain = async () => {
		while (pending.length > 0) {
			const batch = pending;
			pending = [];

			await commit(batch, false).catch((error: unknown) => {
				for (const {reject} of batch) {
					reject(error);
				}
			});
		}

		draining = undefined;
	};

	return {
		refresh,
		read(look) {
			refresh();
			return look();
		},
		async transact<T>(change: () => T) {
			return new Promise<T>((resolve, reject) => {
				pending.push({change, resolve: resolve, reject});
				draining ??= drain();
			});
		},
		async close() {
			await draining;
			if (engine.nonces.version !== savedNonces) {
				await commit([], true).catch(() => undefined);
			}
		},
	};
}
