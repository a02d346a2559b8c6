import {randomBytes} from 'node:crypto';
import {link, readdir, readFile, rename, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {EnvironmentError, type LpError} from '../errors.js';
import {ensurePrivateDirectory} from './directories.js';
import {fsError, isErrnoException} from './fs-errors.js';

/** Who holds a lock, as written in the lock file. */
export type LockHolder = {
	readonly pid: number;
	readonly host: string;
	/** ISO time the lock was taken. */
	readonly since: string;
	readonly token: string;
};

export type LockOptions = {
	/**
	How long to wait while another process holds the lock. 0 refuses at once.

	@default 10000
	*/
	readonly timeoutMs?: number;
	/**
	A lock whose file was not touched for this long is stale: its holder died on another host or hangs. The holder touches
	it every third of this. (On the same host a dead holder's pid shows it at once.)

	@default 30000
	*/
	readonly staleMs?: number;
	/** Stops waiting; the wait rejects with the signal's reason. */
	readonly signal?: AbortSignal;
	/** The error when the lock stays held; the default names the lock file, the holder and how to clear a stale lock. */
	readonly busyError?: (holder: LockHolder | undefined, lockPath: string) => LpError;
};

export type Lock = {
	/** The lock file (`FILE.lock`). */
	readonly path: string;
	/** Removes the lock file if it is still this holder's. Never rejects. */
	release(): Promise<void>;
};

/** The lock file that guards `file`. */
export function lockPathFor(file: string): string {
	return `${file}.lock`;
}

/**
Takes the cross-process lock that guards `file`: the file `FILE.lock`, created atomically (a hard link of a complete
temp file, so no reader ever sees it half-written) and holding the pid, host and a random token. A lock is stale, and is
taken over, when its pid is gone on this host or its file was not touched for `staleMs`. Waits up to `timeoutMs`, then
throws an `EnvironmentError` (exit 9) naming the lock file.
*/
export async function acquireLock(file: string, options: LockOptions = {}): Promise<Lock> {
	const {timeoutMs = 10_000, staleMs = 30_000, signal} = options;
	const lockPath = lockPathFor(file);
	await ensurePrivateDirectory(dirname(lockPath));
	const holder: LockHolder = {pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex')};
	const deadline = Date.now() + timeoutMs;
	let pause = 10;
	let lastSeen: LockHolder | undefined;
	for (;;) {
		signal?.throwIfAborted();
		if (await tryCreate(lockPath, holder)) {
			await removeLeftovers(lockPath, staleMs);
			return held(lockPath, holder, staleMs);
		}

		const current = await inspect(lockPath);
		if (current === undefined) {
			continue; // Released between our attempt and the look: try again at once.
		}

		lastSeen = current.holder;
		if (isStale(current, staleMs)) {
			await breakStale(lockPath, current, holder.token);
			continue;
		}

		if (Date.now() >= deadline) {
			throw options.busyError?.(lastSeen, lockPath) ?? busy(file, lockPath, lastSeen);
		}

		await delay(Math.min(pause, Math.max(0, deadline - Date.now())) * (0.5 + Math.random()), undefined, {signal});
		pause = Math.min(pause * 2, 200);
	}
}

/** Runs `run` holding the lock of `file`, and releases it however `run` ends. */
export async function withLock<T>(file: string, run: () => Promise<T>, options?: LockOptions): Promise<T> {
	const lock = await acquireLock(file, options);
	try {
		return await run();
	} finally {
		await lock.release();
	}
}

/** The message for a held lock; `holder` is undefined when its file could not be read. */
export function describeHolder(holder: LockHolder | undefined): string {
	return holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}` : 'a process whose lock file cannot be read';
}

function busy(file: string, lockPath: string, holder: LockHolder | undefined): EnvironmentError {
	return new EnvironmentError(
		`Another lp-onboard is changing ${file} (${describeHolder(holder)}).`,
		`Wait for it to finish and run this again. If no lp-onboard is running, delete ${lockPath}.`,
		{path: lockPath},
	);
}

async function tryCreate(lockPath: string, holder: LockHolder): Promise<boolean> {
	const temporary = `${lockPath}.${holder.token}.tmp`;
	try {
		await writeFile(temporary, JSON.stringify(holder), {mode: 0o600});
		await link(temporary, lockPath);
		return true;
	} catch (error) {
		if (isErrnoException(error) && error.code === 'EEXIST') {
			return false;
		}

		throw fsError(error, lockPath, 'lock');
	} finally {
		await rm(temporary, {force: true});
	}
}

export type Seen = {readonly holder: LockHolder | undefined; readonly text: string; readonly mtimeMs: number};

async function inspect(lockPath: string): Promise<Seen | undefined> {
	try {
		const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
		return {holder: parseHolder(text), text, mtimeMs: info.mtimeMs};
	} catch (error) {
		if (isErrnoException(error) && error.code === 'ENOENT') {
			return undefined;
		}

		throw fsError(error, lockPath, 'lock');
	}
}

function parseHolder(text: string): LockHolder | undefined {
	try {
		const data = JSON.parse(text) as Partial<LockHolder>;
		return typeof data.pid === 'number' && typeof data.host === 'string' && typeof data.since === 'string' && typeof data.token === 'string'
			? (data as LockHolder)
			: undefined;
	} catch {
		return undefined;
	}
}

function isStale({holder, mtimeMs}: Seen, staleMs: number): boolean {
	if (Date.now() - mtimeMs > staleMs) {
		return true;
	}

	return holder !== undefined && holder.host === hostname() && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
	try {
		// Signal 0 only checks that the process exists. EPERM: it exists but belongs to another user.
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return isErrnoException(error) && error.code === 'EPERM';
	}
}

/**
Removes what killed lock takers left next to the lock (`FILE.lock.TOKEN.tmp`, `FILE.lock.TOKEN.stale`): a SIGKILL
between writing and removing them leaves them forever otherwise. Only files of a process that is gone from this host, or
that nobody touched for `staleMs`, are removed: a live taker's temp file is its own. Best effort.
*/
async function removeLeftovers(lockPath: string, staleMs: number): Promise<void> {
	const prefix = `${basename(lockPath)}.`;
	try {
		const leftover = (name: string) => name.startsWith(prefix) && /\.[\da-f]+\.(?:tmp|stale)$/.test(name);
		const names = (await readdir(dirname(lockPath))).filter(name => leftover(name));
		await Promise.all(names.map(async name => {
			const path = join(dirname(lockPath), name);
			const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
			if (isStale({holder: parseHolder(text), text, mtimeMs: info.mtimeMs}, staleMs)) {
				await rm(path, {force: true});
			}
		}).map(async removal => removal.catch(() => undefined)));
	} catch {}
}

/**
Removes a stale lock without removing a fresh one that another process put there meanwhile: the lock is moved aside
atomically, and put back if what was moved is not what was judged stale.
*/
export async function breakStale(lockPath: string, stale: Seen, token: string): Promise<void> {
	const aside = `${lockPath}.${token}.stale`;
	try {
		await rename(lockPath, aside);
	} catch (error) {
		if (isErrnoException(error) && error.code === 'ENOENT') {
			return; // Another waiter broke it first.
		}

		throw fsError(error, lockPath, 'lock');
	}

	try {
		if ((await readFile(aside, 'utf8')) !== stale.text) {
			await link(aside, lockPath).catch(() => undefined);
		}
	} finally {
		await rm(aside, {force: true});
	}
}

function held(lockPath: string, holder: LockHolder, staleMs: number): Lock {
	// Keeps a long hold (a provisioning run) from looking stale; unref'd so it never keeps the process alive.
	const touch = setInterval(() => {
		const now = new Date();
		utimes(lockPath, now, now).catch(() => undefined);
	}, Math.max(1000, Math.floor(staleMs / 3)));
	touch.unref();
	return {
		path: lockPath,
		async release() {
			clearInterval(touch);
			try {
				if (parseHolder(await readFile(lockPath, 'utf8'))?.token === holder.token) {
					await rm(lockPath, {force: true});
				}
			} catch {
				// Gone or unreadable: nothing to release. A lock file left behind names a dead pid, which the next run sees.
			}
		},
	};
}
