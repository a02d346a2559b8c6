import {EnvironmentError, UsageError} from '../errors.js';
import {exclusive, readJson, writeJsonAtomic} from '../config/json-file.js';
import {filterSecretAccounts, type ListableSecretStore, secretAccount} from './secret-store.js';

/**
The `--insecure-storage` fallback: a JSON file `{"PROFILE/ACCOUNT_ID/NAME": value}` that only its owner can read (0600,
in a 0700 directory). Every write replaces the file atomically, under the file's lock (`credentials.json.lock`), so
concurrent runs in this process or others never lose each other's values.
*/
export function createFileStore(file: string, {warn}: {warn?: (message: string) => void} = {}): ListableSecretStore {
	const read = async (): Promise<Record<string, string>> => {
		await holdMode(file, warn);
		const data = await readJson(file);
		if (data === undefined) {
			return {};
		}

		if (
			typeof data !== 'object'
			|| data === null
			|| Array.isArray(data)
			|| !Object.values(data).every(value => typeof value === 'string')
		) {
			throw new UsageError(
				`${file} is not an lp-onboard credentials file.`,
				`Fix or delete ${file}, then run lp-onboard again to store the credentials.`,
			);
		}

		return data as Record<string, string>;
	};

	const write = async (items: Record<string, string>): Promise<void> => writeJsonAtomic(file, items, {mode: 0o600});
	const change = async <T>(run: () => Promise<T>): Promise<T> => exclusive(file, run);

	return {
		kind: 'file',
		async get(key) {
			const items = await read();
			const account = secretAccount(key);
			return Object.hasOwn(items, account) ? items[account] : undefined;
		},
		async set(key, value) {
			await change(async () => {
				const items = await read();
				await write({...items, [secretAccount(key)]: value});
			});
		},
		async delete(key) {
			return change(async () => {
				const items = await read();
				const account = secretAccount(key);
				if (!Object.hasOwn(items, account)) {
					return false;
				}

				const {[account]: _removed, ...rest} = items;
				await write(rest);
				return true;
			});
		},
		async list(filter) {
			return filterSecretAccounts(Object.keys(await read()), filter);
		},
	};
}

/**
The file is only used at 0600: one wider (a copy, a restore, an editor's umask) is narrowed with a warning if it is the
user's own; one that belongs to someone else is refused, and never chmod-ed.
*/
async function holdMode(file: string, warn: ((message: string) => void) | undefined): Promise<void> {
	const {chmod, stat} = await import('node:fs/promises');
	let info;
	try {
		info = await stat(file);
	} catch {
		return; // Missing (first run) or unreadable: readJson says which.
	}

	const uid = process.getuid?.();
	if (uid !== undefined && info.uid !== uid) {
		throw new EnvironmentError(
			`${file} belongs to another user (uid ${info.uid}): lp-onboard does not use credentials it does not own.`,
			'Move it away, or run lp-onboard as its owner; then store the credentials again (lp-onboard --insecure-storage).',
			{path: file},
		);
	}

	const mode = info.mode & 0o777;
	if ((mode & 0o077) !== 0) {
		await chmod(file, 0o600);
		warn?.(`${file} was readable by others (mode 0${mode.toString(8)}); it is 0600 now. `
			+ 'Anyone who could read it may have the key: consider rotating it.');
	}
}
