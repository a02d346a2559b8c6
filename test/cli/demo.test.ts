import test from 'node:test';
import assert from 'node:assert/strict';
import {createCliEnv, runCli, spawnCli} from '../support/cli.js';

test('--sandbox --demo runs the whole wizard with OAuth 2.0 without a terminal and reports no secret in its JSON', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--sandbox', '--demo', '--yes', '--username', 'admin', '--insecure-storage', '--json'], {
		env: {...dirs.env, CI: 'true', LP_PASSWORD: 'sandbox-admin-pass'},
		timeoutMs: 60_000,
	});
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout) as {accountId: string; credentials: Record<string, unknown>; provisioning: {status: string}};
	assert.equal(report.accountId, '12345678');
	assert.deepEqual(report.credentials, {alreadyDone: false, kind: 'oauth2', storage: 'file'});
	assert.doesNotMatch(result.stdout, /b7e4c1d9a2f85e3c6d0a9b8e7f6c5d4a/, 'the demo client secret');
	assert.equal(report.provisioning.status, 'done');
});

test('--demo --account picks that demo account, here the V2 one', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--sandbox', '--demo', '--account', '87654321', '--yes', '--username', 'admin', '--insecure-storage', '--json'], {
		env: {...dirs.env, CI: 'true', LP_PASSWORD: 'sandbox-admin-pass'},
		timeoutMs: 60_000,
	});
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout) as {accountId: string; provisioning: {status: string; report: {version: number}}};
	assert.equal(report.accountId, '87654321');
	assert.equal(report.provisioning.report.version, 2);
});

test('--demo with an account the sandbox does not know is a usage error naming the ones it knows', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--sandbox', '--demo', '--account', '555'], {env: {...dirs.env, CI: 'true'}, timeoutMs: 30_000});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /--demo knows no sandbox account 555\.\n {2}Use one of 11223344, 12345678, 22334455, 87654321/);
});

test('--demo without --sandbox is a usage error', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--demo'], {env: dirs.env});
	assert.equal(result.code, 2);
	assert.match(result.stderr, /--demo only works with --sandbox/);
});

test('the demo values are shown once: a re-run prints a one-line pointer to `sandbox` and no demo secret', async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, CI: 'true', NO_COLOR: '1'};
	const args = ['--sandbox', '--demo', '--skip-provisioning', '--insecure-storage'];
	const first = await runCli(args, {env, timeoutMs: 60_000});
	assert.equal(first.code, 0, first.stderr);
	// The seed's clients and keys, as the first run listed them: four accounts, a client (2 values) and a key (4) each.
	const secrets = [...first.stderr.matchAll(/^ +(?:client id|client secret|app key|secret|access token|access token secret) +(\S+)$/gm)].map(match => match[1]!);
	assert.equal(secrets.length, 24, first.stderr);
	assert.match(first.stderr, /sandbox-admin-pass/);

	const again = await runCli(args, {env, timeoutMs: 60_000});
	assert.equal(again.code, 0, again.stderr);
	for (const secret of [...secrets, 'sandbox-agent-pass']) {
		assert.equal(again.stderr.includes(secret), false, `a re-run printed the demo value ${secret.slice(0, 6)}…`);
	}

	const pointer = again.stderr.split('\n').filter(line => line.includes('embedded LivePerson sandbox'));
	assert.equal(pointer.length, 1, again.stderr);
	const pasted = /^Running against the embedded LivePerson sandbox \(`node \S*cli\.js (sandbox)` lists its demo accounts, logins and keys\)\.$/.exec(pointer[0]!);
	assert.ok(pasted, pointer[0]);
	// As pasted, it lists them: the keys the first run showed.
	const server = spawnCli([pasted[1]!], {env});
	t.after(async () => server.stop());
	await server.waitForOutput(new RegExp(secrets.at(-1)!));
	for (const secret of secrets) {
		assert.ok(server.stdout().includes(secret), `\`sandbox\` does not list ${secret.slice(0, 6)}…`);
	}
});

test('the provisioned demo account 11223344: its existing bot logs in with the OAuth 2.0 client (the default) and with the legacy key', async t => {
	for (const authMethod of ['oauth2', 'oauth1']) {
		const dirs = await createCliEnv(t);
		const args = ['--sandbox', '--demo', '--account', '11223344', '--auth-method', authMethod, '--login-method', 'credentials', '--skip-provisioning', '--insecure-storage'];
		const result = await runCli(args, {env: {...dirs.env, CI: 'true', NO_COLOR: '1'}, timeoutMs: 60_000});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stderr, /Found the bot user lp-onboard-bot \(id \d+\)\.\n/);
		assert.match(result.stderr, /Logging in as lp-onboard-bot… done/);
		assert.match(result.stderr, /bot user lp-onboard-bot \(logs in with the OAuth 2\.0 client or the API key\)/);
	}
});

test('without a terminal, --sandbox --demo --yes takes the demo admin too and provisions: no value typed', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--sandbox', '--demo', '--yes', '--insecure-storage'], {env: {...dirs.env, CI: 'true', NO_COLOR: '1'}, timeoutMs: 90_000});
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout + result.stderr, /Functions: +provisioned/);
});
