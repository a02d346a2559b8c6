import {readFileSync} from 'node:fs';
import {serialized, writeJsonAtomic} from '../config/json-file.js';
import type {Engine} from './http.js';
import {persistState, restoreState} from './state.js';

/** Where the accounts' state lives between runs; without a file, in memory only. */
export type StateStore = {
	/** Runs one request's change and, when it changed what is persisted, writes the file before the answer goes out. */
	transact<T>(change: () => T): Promise<T>;
};

export const memoryStore: StateStore = {
	transact: async change => change(),
};

/** Restores the engine from `path` (when it holds a sandbox state) and keeps it saved there. */
export function createStateFile(path: string, engine: Engine): StateStore {
	try {
		restoreState(JSON.parse(readFileSync(path, 'utf8')), engine.accounts, engine.sessions);
	} catch {
		// No file yet, or one that is not ours: start from the seed.
	}

	const current = () => persistState(engine.accounts, engine.sessions);
	return {
		transact: async change => serialized(path, async () => {
			const before = JSON.stringify(current());
			const result = change();
			const after = current();
			if (JSON.stringify(after) !== before) {
				await writeJsonAtomic(path, after, {mode: 0o600});
			}

			return result;
		}),
	};
}
