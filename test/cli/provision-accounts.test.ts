import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readdir, readlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'node:test';
import {createCliEnv, plainEnv, pollUntil, runCli, spawnCli} from '../support/cli.js';

const adminEnv = {LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};

/** Whether the process has `path` open (Linux /proc). */
async function holds(pid: number, path: string): Promise<boolean> {
	const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
	const targets = await Promise.all(fds.map(async fd => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
	return targets.includes(path);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	test(`--accounts on a FIFO nobody writes ends on the first ${signal}`, async t => {
		const dirs = await createCliEnv(t);
		const fifo = join(dirs.root, 'accounts.fifo');
		execFileSync('mkfifo', [fifo]);
		const run = spawnCli(['provision', '--sandbox', '--dry-run', '--accounts', fifo], {env: {...dirs.env, ...plainEnv, ...adminEnv}});
		t.after(async () => run.stop());
		await pollUntil(async () => holds(run.child.pid!, fifo), 'the CLI to open the FIFO');
		run.child.kill(signal);
		const result = await run.exited(10_000);
		assert.equal(result.code, 130, result.stderr);
		assert.match(result.stderr, signal === 'SIGINT' ? /Cancelled\./ : /Stopped by SIGTERM\./);
	});
}

test('--accounts /dev/zero stops at the 1 MiB cap with a usage error naming the file', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--dry-run', '--accounts', '/dev/zero'], {env: {...dirs.env, ...plainEnv, ...adminEnv}});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /--accounts file \/dev\/zero is larger than 1 MiB/);
});

test('without a terminal, --sandbox --yes --accounts: the Functions UI guide names its account on every line, a duplicate is told', {timeout: 60_000}, async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, '12345678\n11223344\n12345678\n');
	const result = await runCli(['provision', '--sandbox', '--yes', '--accounts', file], {env: {...dirs.env, ...plainEnv, ...adminEnv}, timeoutMs: 50_000});
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, /⚠ The accounts file lists an account more than once, each provisioned once: 12345678 \(lines 1, 3\)\./);
	const guide = result.stderr.split('\n').filter(line => /As its docs say|terms of use:|stand-in page:|watches for Functions to answer|Accepting on your behalf/.test(line));
	assert.ok(guide.length >= 4, result.stderr);
	for (const line of guide) {
		assert.match(line, /^12345678 /, `a guide line without its account:\n${result.stderr}`);
	}
});
