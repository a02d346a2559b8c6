// Closed pipes and signals, with real processes: a reader that goes away is no error, and every signal stops the run
// cleanly (one line, a documented code, a consistent checkpoint), on the first signal, even while waiting for input.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {cliPath, createCliEnv, pollUntil, plainEnv, spawnCli} from '../support/cli.js';

const adminEnv = {LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};

/** Runs the CLI with its stdout read end closed at once, as `lp-onboard … | true` does. */
async function withClosedStdout(args: readonly string[], env: Record<string, string>): Promise<{code: number | null; stderr: string}> {
	const child = spawn(process.execPath, [cliPath, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
	child.stdout.destroy();
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	return {code, stderr};
}

test('a closed stdout is a quiet success: --help, domains --json, auth header', async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...plainEnv};
	const key = {LP_APP_KEY: 'a'.repeat(32), LP_APP_SECRET: 'b'.repeat(16), LP_ACCESS_TOKEN: 'c'.repeat(32), LP_ACCESS_TOKEN_SECRET: 'd'.repeat(16)};
	for (const [args, extra] of [
		[['--help'], {}],
		[['domains', '--sandbox', '--account', '12345678', '--json'], {}],
		[['auth', 'header', 'GET', 'https://example.test/api?v=1'], key],
	] as const) {
		const result = await withClosedStdout(args, {...env, ...extra});
		assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
		assert.doesNotMatch(result.stderr, /EPIPE|Unhandled|at .*\.js:\d+/, args.join(' '));
	}
});

test('sandbox with a closed stdout keeps serving and stops on SIGTERM with exit 0, no stack', async t => {
	const dirs = await createCliEnv(t);
	const child = spawn(process.execPath, [cliPath, 'sandbox'], {env: {...dirs.env, ...plainEnv}, stdio: ['ignore', 'pipe', 'pipe']});
	child.stdout.destroy();
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const closed = new Promise<number | null>(resolve => child.on('close', resolve));
	await pollUntil(async () => stderr.includes('Sandbox running'), 'the sandbox to start', 20_000);
	child.kill('SIGTERM');
	assert.equal(await closed, 0, stderr);
	assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
});

test('provision 2>&1 | head -3: the run finishes silently, its checkpoint complete, LivePerson provisioned', async t => {
	const dirs = await createCliEnv(t);
	const script = `"${process.execPath}" "${cliPath}" provision --sandbox --yes --account 12345678 2>&1 | head -3 >/dev/null; echo "exit:\${PIPESTATUS[0]}"`;
	const result = spawnSync('bash', ['-c', script], {env: {...dirs.env, ...plainEnv, ...adminEnv}, encoding: 'utf8', timeout: 120_000});
	assert.match(result.stdout, /exit:0/, result.stderr);
	const checkpoint = await dirs.readJson(join(dirs.sandboxStateDir, 'provision-12345678.json')) as {tasks: Record<string, {status: string}>};
	const statuses = Object.values(checkpoint.tasks).map(task => task.status);
	assert.ok(statuses.length > 0 && !statuses.includes('running'), statuses.join(', '));
});

test('provision --json with stderr closed (2>&-) still prints its report', async t => {
	const dirs = await createCliEnv(t);
	const script = `"${process.execPath}" "${cliPath}" provision --sandbox --yes --dry-run --json --account 11223344 2>&-`;
	const result = spawnSync('bash', ['-c', script], {env: {...dirs.env, ...plainEnv, ...adminEnv}, encoding: 'utf8', timeout: 60_000});
	assert.equal(result.status, 0);
	assert.ok(Array.isArray((JSON.parse(result.stdout) as {tasks: unknown[]}).tasks));
});

test('SIGHUP (terminal closed) stops a provision like SIGTERM: exit 130, one line, no task left running', async t => {
	const dirs = await createCliEnv(t);
	const checkpointFile = join(dirs.sandboxStateDir, 'provision-87654321.json');
	const run = spawnCli(['provision', '--sandbox', '--yes', '--json', '--account', '87654321'], {env: {...dirs.env, ...plainEnv, ...adminEnv}});
	t.after(async () => run.stop());
	await pollUntil(async () => {
		const saved = await dirs.readJson(checkpointFile) as {tasks?: Record<string, {status: string}>} | undefined;
		return Object.values(saved?.tasks ?? {}).some(task => task.status === 'running');
	}, 'a task to run', 30_000);
	run.child.kill('SIGHUP');
	const ended = await run.exited(30_000);
	assert.equal(ended.code, 130, ended.stderr);
	assert.match(ended.stderr, /Stopped by SIGHUP/);
	assert.doesNotMatch(ended.stderr, /at .*\.js:\d+/);
	const checkpoint = await dirs.readJson(checkpointFile) as {tasks: Record<string, {status: string}>};
	assert.ok(!Object.values(checkpoint.tasks).some(task => task.status === 'running'), JSON.stringify(checkpoint.tasks));
});

test('SIGTERM while --stdin waits for input nobody writes ends the run at once with 130', async t => {
	const dirs = await createCliEnv(t);
	const child = spawn(process.execPath, [cliPath, 'status', '--stdin'], {env: {...dirs.env, ...plainEnv}, stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const closed = new Promise<number | null>(resolve => child.on('close', resolve));
	await delay(500);
	child.kill('SIGTERM');
	const code = await Promise.race([closed, delay(5000).then(() => 'still running')]);
	child.kill('SIGKILL');
	assert.equal(code, 130, stderr);
	assert.match(stderr, /Stopped by SIGTERM/);
});
