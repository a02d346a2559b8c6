// Issue 16.2: a sandbox run keeps its own profiles, never blocks or changes a real one, and what it prints to paste runs
// as pasted. Build first (`npm run build`).
import assert from 'node:assert/strict';
import {mkdir, rename} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {createCliEnv, plainEnv, runCli, type TempDirs} from '../support/cli.js';

async function sandboxDemo(dirs: TempDirs, extra: readonly string[] = []) {
	const env = {...dirs.env, ...plainEnv};
	const setup = await runCli(['--sandbox', '--demo', '--skip-provisioning', '--insecure-storage', ...extra], {env, timeoutMs: 60_000});
	assert.equal(setup.code, 0, setup.stderr);
	return {env, setup};
}

test('after the sandbox demo, status, domains, api, doctor and the wizard without --sandbox use the real profile, which is empty', async t => {
	const dirs = await createCliEnv(t);
	const {env} = await sandboxDemo(dirs);
	assert.equal(await dirs.readJson(join(dirs.configDir, 'config.json')), undefined, 'the sandbox run wrote the real config.json');
	assert.equal(await dirs.readJson(join(dirs.configDir, 'credentials.json')), undefined, 'the sandbox run wrote the real credentials file');

	const status = await runCli(['status'], {env});
	// The README's code for "incomplete": no account yet.
	assert.equal(status.code, 3, status.stderr);
	assert.match(status.stdout, /^Profile: +default \(LivePerson\)$/m);
	assert.match(status.stdout, /^Account: +\(none\)$/m);
	assert.match(status.stdout, /no account yet: run lp-onboard\)/);
	for (const args of [['domains'], ['api', 'GET', '/api/account/{accountId}/configuration/le-users/users?v=4.0'], ['--insecure-storage']]) {
		const run = await runCli(args, {env});
		assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
		assert.match(run.stderr, /Missing LivePerson account id: there is no terminal to ask on/, args.join(' '));
	}

	const doctor = await runCli(['doctor', '--timeout', '2'], {env});
	assert.doesNotMatch(doctor.stderr + doctor.stdout, /sandbox/);
	assert.notEqual(doctor.code, 2, doctor.stderr);

	const sandboxStatus = await runCli(['status', '--sandbox'], {env});
	assert.equal(sandboxStatus.code, 0, sandboxStatus.stderr);
	assert.match(sandboxStatus.stdout, /^Profile: +default \(sandbox: --sandbox runs keep their own profiles\)$/m);
	assert.match(sandboxStatus.stdout, /^Account: +12345678$/m);
});

/** The commands the wizard printed to paste: in backticks, and the next steps' lines; each as shell words. */
function printedCommands(stderr: string): string[][] {
	const lines = [
		...[...stderr.matchAll(/`(node \S*cli\.js [^`]+)`/g)].map(match => match[1]!),
		...stderr.split('\n').map(line => line.trim()).filter(line => /^node \S*cli\.js /.test(line)),
	];
	// Shell words: single-quoted ones as they are, no other quoting is printed.
	return [...new Set(lines)].map(line => [...line.matchAll(/'([^']*)'|(\S+)/g)].map(match => match[1] ?? match[2]!).slice(2));
}

test('every command the sandbox wizard prints runs as pasted, on the sandbox profile', async t => {
	const dirs = await createCliEnv(t);
	const {env, setup} = await sandboxDemo(dirs);
	const commands = printedCommands(setup.stderr);
	const names = commands.map(words => words[0]);
	assert.deepEqual([...new Set(names)].sort(), ['api', 'domains', 'provision', 'status'], setup.stderr);
	for (const words of commands) {
		assert.ok(words.includes('--sandbox'), `printed without --sandbox: ${words.join(' ')}`);
		// `provision` asks the demo admin's password and the go-ahead at a terminal: here they come from the environment.
		const answers: Record<string, string> = words[0] === 'provision' ? {LP_PASSWORD: 'sandbox-admin-pass', LP_YES: '1'} : {};
		const run = await runCli(words, {env: {...env, ...answers}, timeoutMs: 60_000});
		// Without a terminal nobody accepts the Functions UI step: provisioning reports it as waiting (10).
		assert.ok(run.code === 0 || (words[0] === 'provision' && run.code === 10), `${words.join(' ')} → ${run.code}: ${run.stderr}`);
	}
});

test('with --profile, the printed commands carry it too', async t => {
	const dirs = await createCliEnv(t);
	const {setup} = await sandboxDemo(dirs, ['--profile', 'demo']);
	for (const words of printedCommands(setup.stderr)) {
		assert.match(words.join(' '), /--sandbox --profile demo$/);
	}
});

test('an old sandbox profile in the real config.json moves to the sandbox\'s own state, secrets and all, and says so', async t => {
	const dirs = await createCliEnv(t);
	const {env} = await sandboxDemo(dirs);
	// Where an earlier lp-onboard kept it: the real config.json and credentials file (the profile marked sandbox: true).
	await mkdir(dirs.configDir, {recursive: true});
	for (const file of ['config.json', 'credentials.json']) {
		await rename(join(dirs.configDir, 'sandbox', file), join(dirs.configDir, file));
	}

	const before = await dirs.readJson(join(dirs.configDir, 'config.json')) as {profiles: Record<string, {sandbox?: boolean}>};
	assert.equal(before.profiles['default']?.sandbox, true);

	const status = await runCli(['status'], {env});
	assert.equal(status.code, 3, status.stderr);
	assert.match(status.stdout, /^Account: +\(none\)$/m);
	assert.match(status.stderr, /Profile default in \S+config\.json was set up on the sandbox by an earlier lp-onboard; moved it to the sandbox's own state/);
	const real = await dirs.readJson(join(dirs.configDir, 'config.json')) as {profiles: Record<string, unknown>};
	assert.deepEqual(real.profiles, {});
	assert.deepEqual(await dirs.readJson(join(dirs.configDir, 'credentials.json')), {});

	const again = await runCli(['status'], {env});
	assert.doesNotMatch(again.stderr, /earlier lp-onboard/, 'the move is said once');
	const sandboxStatus = await runCli(['status', '--sandbox'], {env});
	assert.equal(sandboxStatus.code, 0, sandboxStatus.stderr);
	assert.match(sandboxStatus.stdout, /^Account: +12345678$/m);
	assert.match(sandboxStatus.stdout, /^App key: +\S+ \(file\)$/m);
});

// The real keychain (scripts/with-keyring.sh): the sandbox's items live under their own service.
const keychainSkip = process.env['LP_TEST_KEYCHAIN'] === '1' ? false : 'needs a Secret Service: run under scripts/with-keyring.sh';

async function keychain(service: string) {
	const {createKeychainStore} = await import('../../source/secrets/keytar-store.js');
	// The index only matters for `list`; these checks read and write items by name.
	const index = {indexed: async () => [], add: async () => undefined, remove: async () => undefined};
	return createKeychainStore({index, env: process.env, nodePath: process.execPath, service});
}

test('in the keychain, the sandbox demo\'s key is under service lp-onboard-sandbox, and an old one under lp-onboard moves there', {skip: keychainSkip, timeout: 120_000}, async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...plainEnv, DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? ''};
	// A profile name of this test only: the keyring is shared with the other keychain tests.
	const profile = `sbx-${process.pid}`;
	const setup = await runCli(['--sandbox', '--demo', '--skip-provisioning', '--profile', profile], {env, timeoutMs: 60_000});
	assert.equal(setup.code, 0, setup.stderr);
	const [real, sandbox] = [await keychain('lp-onboard'), await keychain('lp-onboard-sandbox')];
	const key = {profile, accountId: '12345678', name: 'appKey'} as const;
	t.after(async () => {
		for (const store of [real, sandbox]) {
			for (const name of ['appKey', 'appSecret', 'accessToken', 'accessTokenSecret'] as const) {
				await store.delete({...key, name});
			}
		}
	});
	const demoKey = await sandbox.get(key);
	assert.ok(demoKey, 'the demo key is not under lp-onboard-sandbox');
	assert.equal(await real.get(key), undefined, 'the sandbox wrote under the real service');

	// As an earlier lp-onboard kept it: in the real config.json, the items under service lp-onboard.
	await rename(join(dirs.configDir, 'sandbox', 'config.json'), join(dirs.configDir, 'config.json'));
	for (const name of ['appKey', 'appSecret', 'accessToken', 'accessTokenSecret'] as const) {
		await real.set({...key, name}, (await sandbox.get({...key, name}))!);
		await sandbox.delete({...key, name});
	}

	const status = await runCli(['status', '--profile', profile], {env});
	assert.equal(status.code, 3, status.stderr);
	assert.match(status.stderr, /was set up on the sandbox by an earlier lp-onboard; moved it/);
	assert.equal(await real.get(key), undefined, 'the old item is still under lp-onboard');
	assert.equal(await sandbox.get(key), demoKey);
	const sandboxStatus = await runCli(['status', '--sandbox', '--profile', profile], {env});
	assert.equal(sandboxStatus.code, 0, sandboxStatus.stderr);
	assert.match(sandboxStatus.stdout, /^App key: +\S+ \(keychain\)$/m);
});
