import {readFileSync, type Stats, statSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import {resolve} from 'node:path';
import {exclusive, writeJsonAtomic} from '../config/json-file.js';
import type {Engine} from './http.js';
import {persistState, restoreState} from './state.js';

/** Where the accounts' state lives between runs; without a file, in memory only. */
export type StateStore = {
	/** Runs one request's change on the latest state and, when it changed what is persisted, saves it before the answer goes out. */
	transact<T>(change: () => T): Promise<T>;
	/** Picks up what another process wrote since (for reads outside a request, such as `state()`). */
	refresh(): void;
};

export const memoryStore: StateStore = {
	transact: async change => change(),
	refresh() {},
};

/**
Keeps the engine in `path`, which several sandboxes (a `--sandbox` run beside `lp-onboard sandbox`) may share. Each request is
one transaction under the file's cross-process lock: re-read the file if another process replaced it, apply this request,
write atomically if anything changed. So no process overwrites another's changes with an old copy.
*/
export function createStateFile(file: string, engine: Engine): StateStore {
	// One spelling per file, so two sandboxes of this process on it queue up instead of waiting on each other's lock.
	const path = resolve(file);
	let known: string | undefined;
	const identity = (info: Stats) => `${info.ino} ${info.mtimeMs} ${info.size}`;
	const refresh = () => {
		let info: Stats;
		try {
			info = statSync(path);
		} catch {
			return; // No file yet (or gone): ours is the latest; the next change writes it.
		}

		if (identity(info) === known) {
			return;
		}

		known = identity(info);
		try {
			restoreState(JSON.parse(readFileSync(path, 'utf8')), engine);
		} catch {
			// Not a sandbox state (or unreadable): keep the state we have; the next change replaces the file.
		}
	};

	refresh();
	const current = () => persistState(engine.accounts, engine.sessions, engine.nonces, engine.now(), engine.serverNow());
	return {
		refresh,
		transact: async change => exclusive(path, async () => {
			refresh();
			const before = JSON.stringify(current());
			const result = change();
			const after = current();
			if (JSON.stringify(after) !== before) {
				try {
					await writeJsonAtomic(path, after, {mode: 0o600});
				} catch (error) {
					// Not saved, so not done: the request fails (500) and leaves no trace, in memory or on disk.
					restoreState(JSON.parse(before), engine);
					throw error;
				}

				known = identity(await stat(path));
			}

			return result;
		}),
	};
}
