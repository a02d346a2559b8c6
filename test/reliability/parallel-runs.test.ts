// Several lp-onboard processes at once on one HOME: read-modify-write of config.json, the credentials file and a
// provisioning checkpoint happen under their file locks, so no run loses another's changes.
import assert from 'node:assert/strict';
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {createCliEnv, pollUntil, runCli, spawnCli} from '../support/cli.js';

/** The sandbox's demo OAuth 2.0 client of account 12345678. */
const demoClient = {clientId: 'c3a1f7e2-5d4b-4e8a-9f10-123456780001', clientSecret: 'b7e4c1d9a2f85e3c6d0a9b8e7f6c5d4a'};

test('six wizards at once on six profiles with --insecure-storage keep every profile, both values of its OAuth 2.0 client and its cached token', async t => {
	const dirs = await createCliEnv(t);
	const profiles = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
	const results = await Promise.all(profiles.map(async profile =>
		runCli(['--sandbox', '--demo', '--insecure-storage', '--skip-provisioning', '--profile', profile], {env: {...dirs.env, CI: 'true'}, timeoutMs: 120_000})));
	for (const [index, result] of results.entries()) {
		assert.equal(result.code, 0, `${profiles[index]!}: ${result.stderr}`);
	}

	const config = await dirs.readJson(join(dirs.sandboxConfigDir, 'config.json')) as {profiles: Record<string, {accountId?: string; storage?: string}>};
	assert.deepEqual(Object.keys(config.profiles).sort(), profiles);
	const credentials = await dirs.readJson(join(dirs.sandboxConfigDir, 'credentials.json')) as Record<string, string>;
	for (const profile of profiles) {
		assert.equal(config.profiles[profile]?.accountId, '12345678', profile);
		assert.equal(config.profiles[profile]?.storage, 'file', profile);
		// The demo account's OAuth 2.0 client (the default kind of credentials), and the Sentinel token the wizard cached.
		assert.equal(credentials[`${profile}/12345678/clientId`], demoClient.clientId, `${profile}/clientId is kept`);
		assert.equal(credentials[`${profile}/12345678/clientSecret`], demoClient.clientSecret, `${profile}/clientSecret is kept`);
		const token = JSON.parse(credentials[`${profile}/12345678/oauth2Token`] ?? '{}') as {clientId?: string; accessToken?: string};
		assert.equal(token.clientId, demoClient.clientId, `${profile}/oauth2Token is kept`);
		assert.match(token.accessToken ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/, `${profile}/oauth2Token holds a JWT`);
	}

	// Nothing else, and nothing of one profile under another's name.
	assert.deepEqual(Object.keys(credentials).sort(), profiles.flatMap(profile => ['clientId', 'clientSecret', 'oauth2Token'].map(name => `${profile}/12345678/${name}`)));

	// No lock or temp file is left behind.
	assert.deepEqual((await readdir(dirs.sandboxConfigDir)).sort(), ['config.json', 'credentials.json']);
});

const adminEnv = {LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};
const provisionArgs = ['provision', '--sandbox', '--yes', '--json', '--account', '87654321'];

test('a second provision of an account while one runs refuses with exit 9 and who holds it; a killed run does not block the next', async t => {
	const dirs = await createCliEnv(t);
	const first = spawnCli(provisionArgs, {env: {...dirs.env, ...adminEnv}});
	t.after(async () => first.stop());
	await pollUntil(async () => (await dirs.checkpoint('87654321'))?.tasks?.['infrastructure']?.status === 'running', 'the first run to be provisioning', 60_000);

	const second = await runCli(provisionArgs, {env: {...dirs.env, ...adminEnv}, timeoutMs: 60_000});
	assert.equal(second.code, 9, second.stderr);
	assert.match(second.stderr, new RegExp(`Account 87654321 is being provisioned by another lp-onboard \\(pid ${first.child.pid!} `));
	assert.match(second.stderr, /provision-87654321\.json\.lock/);
	assert.equal(second.stdout, '', 'no report, no "(resumed)" from the live run');

	// SIGKILL leaves the lock file behind; its pid is gone, so the next run takes it over and finishes the job.
	first.child.kill('SIGKILL');
	await first.exited(30_000);
	assert.ok((await readdir(dirs.sandboxStateDir)).includes('provision-87654321.json.lock'));
	const third = await runCli(provisionArgs, {env: {...dirs.env, ...adminEnv}, timeoutMs: 120_000});
	assert.equal(third.code, 0, third.stderr);
	assert.equal((JSON.parse(third.stdout) as {ok: boolean}).ok, true);
	assert.ok(!(await readdir(dirs.sandboxStateDir)).includes('provision-87654321.json.lock'), 'the finished run released its lock');
});
