import {randomBytes} from 'node:crypto';
import {open, rename, rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {UsageError} from '../errors.js';
import {type CappedFile, formatSize, readFileCapped} from '../system/read-input.js';
import {ensurePrivateDirectory} from './directories.js';
import {fsError, isErrnoException, onPath} from './fs-errors.js';
import {withLock} from './lock.js';

export type WriteJsonOptions = {
	/**
	File mode of the written file. Applied at creation and again with `chmod`, so a umask cannot widen or narrow it.

	@default 0o644
	*/
	readonly mode?: number;
};

/**
Writes `data` as JSON so that readers see either the old file or the new one, never half of one: the text goes to a
temp file in the same directory, is fsynced, then renamed over `path`. Concurrent writers each use their own temp file,
so their bytes never interleave; the last rename wins (callers that read-modify-write hold the file's lock). Missing
directories are created 0700. A file-system failure (full disk, no permission, a directory in the way) is an
`EnvironmentError` naming `path`; the temp file is removed.
*/
export async function writeJsonAtomic(path: string, data: unknown, options: WriteJsonOptions = {}): Promise<void> {
	const mode = options.mode ?? 0o644;
	const directory = dirname(path);
	await ensurePrivateDirectory(directory);
	const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
	const text = `${JSON.stringify(data, undefined, '\t')}\n`;
	await onPath(path, 'write', async () => writeThenRename(temporary, path, text, mode));
}

async function writeThenRename(temporary: string, path: string, text: string, mode: number): Promise<void> {
	let renamed = false;
	try {
		const handle = await open(temporary, 'wx', mode);
		try {
			await handle.writeFile(text, 'utf8');
			await handle.chmod(mode);
			await handle.sync();
		} finally {
			await handle.close();
		}

		await rename(temporary, path);
		renamed = true;
		await syncDirectory(dirname(path));
	} finally {
		if (!renamed) {
			await rm(temporary, {force: true});
		}
	}
}

/** The most of a config or state file read: far above what lp-onboard writes (a profile is a few KB). */
export const jsonMaxBytes = 16 * 1024 * 1024;

/**
Reads a JSON file, at most `maxBytes` of it. A missing file is `undefined` (first run); a file that is not JSON is a
`UsageError` whose hint names the file, because only the user can decide whether to fix or delete it; one that cannot be
read is an `EnvironmentError`.
*/
export async function readJson(path: string, {maxBytes = jsonMaxBytes}: {maxBytes?: number} = {}): Promise<unknown> {
	let file: CappedFile;
	try {
		file = await readFileCapped(path, {maxBytes});
	} catch (error) {
		if (isErrnoException(error) && error.code === 'ENOENT') {
			return undefined;
		}

		throw fsError(error, path, 'read');
	}

	if (file.tooLarge) {
		throw new UsageError(
			`${path} is too large (over ${formatSize(maxBytes)}), more than lp-onboard ever writes.`,
			`Fix or delete ${path}; lp-onboard recreates it on the next run.`,
		);
	}

	// A byte order mark (an editor on Windows) is not part of the JSON.
	const text = file.bytes.toString('utf8').replace(/^\uFEFF/, '');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new UsageError(`${path} is not valid JSON.`, `Fix or delete ${path}; lp-onboard recreates it on the next run.`);
	}
}

const queues = new Map<string, Promise<unknown>>();

/**
Runs a read-modify-write cycle on one file alone: after this process's earlier cycles on it, and under the file's lock
(`withLock`) against other processes, so two updates never read the same old version and lose one of the changes.
*/
export async function exclusive<T>(path: string, run: () => Promise<T>): Promise<T> {
	const previous = queues.get(path) ?? Promise.resolve();
	const locked = async () => withLock(path, run);
	const result = previous.then(locked, locked);
	const tail = result.then(
		() => undefined,
		() => undefined,
	);
	queues.set(path, tail);
	void tail.then(() => {
		if (queues.get(path) === tail) {
			queues.delete(path);
		}
	});
	return result;
}

// The rename is only durable once the directory entry is on disk. Some file systems refuse to open or fsync a
// directory (EISDIR/EPERM/EINVAL); the write itself already succeeded then, so that is not an error.
async function syncDirectory(directory: string): Promise<void> {
	try {
		const handle = await open(directory, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {}
}
