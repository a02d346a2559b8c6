// A separate process for the lock tests: `node --import tsx lock-worker.ts MODE FILE [N]`.
// count: N read-modify-write increments of {"count"} in FILE, each under the lock.
// hold: takes the lock, prints "held", and keeps it until killed (or stdin closes).
// try: takes the lock with no wait; prints "got" or the error's message, hint and exit code.
import {readFile, writeFile} from 'node:fs/promises';
import {acquireLock, withLock} from '../../source/config/lock.js';
import {LpError} from '../../source/errors.js';

const [mode, file = '', n = '1'] = process.argv.slice(2);

if (mode === 'count') {
	for (let index = 0; index < Number(n); index++) {
		await withLock(file, async () => {
			const text = await readFile(file, 'utf8').catch(() => '{"count":0}');
			const {count} = JSON.parse(text) as {count: number};
			// Yield between read and write, so an unlocked version would lose updates.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			await writeFile(file, JSON.stringify({count: count + 1}));
		}, {timeoutMs: 60_000});
	}
} else if (mode === 'hold') {
	await acquireLock(file);
	process.stdout.write('held\n');
	process.stdin.resume();
} else if (mode === 'try') {
	try {
		const lock = await acquireLock(file, {timeoutMs: Number(n)});
		process.stdout.write('got\n');
		await lock.release();
	} catch (error) {
		if (!(error instanceof LpError)) {
			throw error;
		}

		process.stdout.write(`${error.message}\n${error.hint ?? ''}\n${error.exitCode}\n`);
	}
}
