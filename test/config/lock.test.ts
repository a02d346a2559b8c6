import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, readdir, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {acquireLock, breakStale, type LockHolder, lockPathFor, withLock} from '../../source/config/lock.js';
import {EnvironmentError, exitCodes} from '../../source/errors.js';

const worker = fileURLToPath(new URL('../support/lock-worker.ts', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'lp-lock-'));
after(async () => rm(root, {recursive: true, force: true}));
let counter = 0;
const freshFile = () => join(root, String(counter++), 'data.json');

function startWorker(...args: string[]) {
	const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], {stdio: ['pipe', 'pipe', 'inherit']});
	let stdout = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	return {
		child,
		output: () => stdout,
		async until(text: string) {
			while (!stdout.includes(text)) {
				if (child.exitCode !== null) {
					throw new Error(`worker exited ${child.exitCode} before printing ${text}: ${stdout}`);
				}

				await once(child.stdout, 'data');
			}
		},
		async exit() {
			if (child.exitCode === null && child.signalCode === null) {
				await once(child, 'close');
			}

			return child.exitCode;
		},
	};
}

test('six processes doing read-modify-write under the lock lose no update', async () => {
	const file = freshFile();
	const workers = Array.from({length: 6}, () => startWorker('count', file, '25'));
	const codes = await Promise.all(workers.map(async item => item.exit()));
	assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
	assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {count: 150});
	// Neither the lock nor a temp file of it is left.
	assert.deepEqual(await readdir(join(file, '..')), ['data.json']);
});

test('a lock held by a live process refuses at once with exit 9, naming the lock file and the holder', async () => {
	const file = freshFile();
	const holder = startWorker('hold', file);
	try {
		await holder.until('held');
		const contender = startWorker('try', file, '0');
		assert.equal(await contender.exit(), 0);
		const [message = '', hint = '', code = ''] = contender.output().split('\n');
		assert.match(message, new RegExp(`pid ${holder.child.pid!} on ${hostname()}`));
		assert.ok(hint.includes(lockPathFor(file)), hint);
		assert.equal(Number(code), exitCodes.environment);
	} finally {
		holder.child.kill('SIGKILL');
		await holder.exit();
	}
});

test('a waiter gets the lock once the holder releases it', async () => {
	const file = freshFile();
	const lock = await acquireLock(file);
	const waiter = startWorker('try', file, '20000');
	// The waiter is polling while we hold the lock; releasing lets it in.
	await new Promise(resolve => {
		setTimeout(resolve, 300);
	});
	assert.equal(waiter.output(), '');
	await lock.release();
	assert.equal(await waiter.exit(), 0);
	assert.equal(waiter.output(), 'got\n');
});

test('the lock of a killed holder is stale and taken over at once', async () => {
	const file = freshFile();
	const holder = startWorker('hold', file);
	await holder.until('held');
	holder.child.kill('SIGKILL');
	await holder.exit();
	assert.ok((await stat(lockPathFor(file))).isFile(), 'the killed holder left its lock file');
	const contender = startWorker('try', file, '0');
	assert.equal(await contender.exit(), 0);
	assert.equal(contender.output(), 'got\n');
});

test('a lock from another host counts until it goes untouched for staleMs', async () => {
	const file = freshFile();
	const lockPath = lockPathFor(file);
	await withLock(file, async () => undefined); // Creates the directory.
	await writeFile(lockPath, JSON.stringify({pid: 1, host: 'elsewhere.example', since: new Date().toISOString(), token: 'x'}));
	await assert.rejects(acquireLock(file, {timeoutMs: 0}), (error: unknown) => error instanceof EnvironmentError && /elsewhere\.example/.test(error.message));
	const old = new Date(Date.now() - 60_000);
	await utimes(lockPath, old, old);
	const lock = await acquireLock(file, {timeoutMs: 0, staleMs: 30_000});
	assert.equal(JSON.parse(await readFile(lockPath, 'utf8')).host, hostname());
	await lock.release();
	await assert.rejects(stat(lockPath), {code: 'ENOENT'});
});

test('release leaves alone a lock that is no longer its own', async () => {
	const file = freshFile();
	const lock = await acquireLock(file);
	const other = JSON.stringify({pid: 1, host: 'elsewhere.example', since: new Date().toISOString(), token: 'other'});
	await writeFile(lock.path, other);
	await lock.release();
	assert.equal(await readFile(lock.path, 'utf8'), other);
});

test('the lock directory is created 0700', async () => {
	const file = freshFile();
	await withLock(file, async () => undefined);
	assert.equal((await stat(join(file, '..'))).mode & 0o777, 0o700);
});

/** The pid of a process that has ended: nothing runs under it now (pids are not reused that fast). */
async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await once(child, 'exit');
	return child.pid!;
}

test('breaking a stale lock puts back a fresh one that another process took meanwhile', async () => {
	const file = freshFile();
	const lockPath = lockPathFor(file);
	await withLock(file, async () => undefined);
	const staleText = JSON.stringify({pid: await deadPid(), host: hostname(), since: new Date(0).toISOString(), token: 'aaaa'});
	// What the breaker judged stale, then (before its rename) another process broke it and took a fresh lock.
	const fresh = JSON.stringify({pid: process.pid, host: hostname(), since: new Date().toISOString(), token: 'bbbb'});
	await writeFile(lockPath, fresh);
	await breakStale(lockPath, {holder: JSON.parse(staleText) as LockHolder, text: staleText, mtimeMs: 0}, 'cccc');
	assert.equal(await readFile(lockPath, 'utf8'), fresh, 'the fresh lock is back');
	assert.deepEqual((await readdir(join(file, '..'))).filter(name => name.includes('.stale')), [], 'nothing left aside');

	// The same break of what really is the stale lock removes it.
	await writeFile(lockPath, staleText);
	await breakStale(lockPath, {holder: JSON.parse(staleText) as LockHolder, text: staleText, mtimeMs: 0}, 'dddd');
	await assert.rejects(stat(lockPath), {code: 'ENOENT'});
});

test('temp files a killed lock taker left are removed by the next taker; a live taker\'s are not', async () => {
	const file = freshFile();
	const lockPath = lockPathFor(file);
	await withLock(file, async () => undefined);
	const directory = join(file, '..');
	const holder = (pid: number, token: string) => JSON.stringify({pid, host: hostname(), since: new Date().toISOString(), token});
	await writeFile(`${lockPath}.0123abcd.tmp`, holder(await deadPid(), '0123abcd'));
	await writeFile(`${lockPath}.4567abcd.stale`, holder(await deadPid(), '4567abcd'));
	await writeFile(`${lockPath}.89abcdef.tmp`, holder(process.pid, '89abcdef'));
	await withLock(file, async () => undefined);
	assert.deepEqual((await readdir(directory)).sort(), ['data.json.lock.89abcdef.tmp']);
});
