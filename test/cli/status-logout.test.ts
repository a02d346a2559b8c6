import test from 'node:test';
import assert from 'node:assert/strict';
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {createCliEnv, runCli, type TempDirs} from '../support/cli.js';

type Status = {
	profile: string;
	accountId?: string;
	accountSource: string;
	credentials: Record<string, {source: string; preview?: string}>;
	signedCallWorks?: boolean;
	signedCallDetail?: string;
	insecureStorage: boolean;
	warnings: string[];
};

const demoSecret = '237f187e5698ede38c61bca37516bcf7';
const demoTokenSecret = '50d9205dc910a93d82fd98c27c37b7d1';
const fields = ['appKey', 'appSecret', 'accessToken', 'accessTokenSecret'];

/** Runs the wizard without a terminal against the sandbox with the demo key, keeping the key in the 0600 file. */
async function setUpWithFileStore(dirs: TempDirs, profile: string) {
	const result = await runCli(['--sandbox', '--demo', '--insecure-storage', '--skip-provisioning', '--profile', profile], {env: {...dirs.env, CI: 'true'}, timeoutMs: 60_000});
	assert.equal(result.code, 0, result.stderr);
	return join(dirs.sandboxConfigDir, 'credentials.json');
}

test('status --json reports the file store as the source, flags it with a warning, and the file is mode 0600', async t => {
	const dirs = await createCliEnv(t);
	const profile = `status-file-${process.pid}`;
	const credentialsFile = await setUpWithFileStore(dirs, profile);
	assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);

	const result = await runCli(['status', '--json', '--insecure-storage', '--sandbox', '--profile', profile], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	const status = JSON.parse(result.stdout) as Status;
	assert.equal(status.profile, profile);
	assert.equal(status.accountId, '12345678');
	assert.equal(status.insecureStorage, true);
	assert.ok(status.warnings.some(warning => /0600/.test(warning) && /file/.test(warning)), status.warnings.join('\n'));
	for (const field of fields) {
		assert.equal(status.credentials[field]?.source, 'file', field);
		assert.match(status.credentials[field]?.preview ?? '', /^\w{4}…\(\d+\)$/);
	}

	assert.doesNotMatch(result.stdout + result.stderr, new RegExp(`${demoSecret}|${demoTokenSecret}`), 'no secret value is printed');

	// The profile remembers the choice: without the flag, the same.
	const remembered = JSON.parse((await runCli(['status', '--json', '--sandbox', '--profile', profile], {env: dirs.env})).stdout) as Status;
	assert.equal(remembered.credentials['appSecret']?.source, 'file');
	assert.equal(remembered.insecureStorage, true);

	// The plain form says it too.
	const plain = await runCli(['status', '--sandbox', '--profile', profile], {env: dirs.env});
	assert.equal(plain.code, 0, plain.stderr);
	assert.match(plain.stdout, /\(file\)/);
	assert.match(plain.stdout, /Warning: .*0600/);
});

test('status --sandbox proves the stored key with a signed call against a fresh sandbox', async t => {
	const dirs = await createCliEnv(t);
	const profile = `status-call-${process.pid}`;
	await setUpWithFileStore(dirs, profile);
	const result = await runCli(['status', '--json', '--sandbox', '--profile', profile], {env: dirs.env, timeoutMs: 60_000});
	assert.equal(result.code, 0, result.stderr);
	const status = JSON.parse(result.stdout) as Status;
	assert.equal(status.signedCallWorks, true, status.signedCallDetail);
});

// Every status below runs with --sandbox: after a --sandbox wizard the profile has no CSDS URL of its own, and a status
// without it would try LivePerson itself.
test('an LP_* variable wins over the file store, and status says so', async t => {
	const dirs = await createCliEnv(t);
	const profile = `status-env-${process.pid}`;
	await setUpWithFileStore(dirs, profile);
	const result = await runCli(['status', '--json', '--sandbox', '--profile', profile], {env: {...dirs.env, LP_APP_SECRET: 'from-the-environment-0000'}});
	const status = JSON.parse(result.stdout) as Status;
	assert.equal(status.credentials['appSecret']?.source, 'env');
	assert.equal(status.credentials['appKey']?.source, 'file');
	assert.equal(status.signedCallWorks, false, 'the wrong secret from the environment was used for the signed call');
	assert.doesNotMatch(result.stdout, /from-the-environment-0000/);
});

test('logout removes the profile’s items from the credentials file and its config, and lists what it removed', async t => {
	const dirs = await createCliEnv(t);
	const profile = `logout-${process.pid}`;
	const other = `logout-other-${process.pid}`;
	const credentialsFile = await setUpWithFileStore(dirs, profile);
	await setUpWithFileStore(dirs, other);
	const before = JSON.parse(await readFile(credentialsFile, 'utf8')) as Record<string, string>;
	assert.equal(Object.keys(before).filter(name => name.startsWith(`${profile}/`)).length, 4);

	const result = await runCli(['logout', '--insecure-storage', '--sandbox', '--profile', profile], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout, new RegExp(`Removed for profile ${profile}:`));
	for (const field of fields) {
		assert.match(result.stdout, new RegExp(`^\\s+${profile}/12345678/${field}$`, 'm'), `logout does not list ${field}`);
	}

	const after = JSON.parse(await readFile(credentialsFile, 'utf8')) as Record<string, string>;
	assert.deepEqual(Object.keys(after).filter(name => name.startsWith(`${profile}/`)), [], 'the profile’s items are gone');
	assert.equal(Object.keys(after).filter(name => name.startsWith(`${other}/`)).length, 4, 'another profile keeps its items');
	assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
	const config = JSON.parse(await readFile(join(dirs.sandboxConfigDir, 'config.json'), 'utf8')) as {profiles: Record<string, unknown>};
	assert.equal(config.profiles[profile], undefined);
	assert.ok(config.profiles[other]);

	const status = JSON.parse((await runCli(['status', '--json', '--insecure-storage', '--sandbox', '--profile', profile], {env: dirs.env})).stdout) as Status;
	assert.equal(status.accountSource, 'missing');
	for (const field of fields) {
		assert.equal(status.credentials[field]?.source, 'missing');
	}

	const again = await runCli(['logout', '--insecure-storage', '--sandbox', '--profile', profile], {env: dirs.env});
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stdout, /Nothing to remove/);
	// Without --insecure-storage and with no keychain here (no D-Bus): still nothing to remove, not a keychain error.
	const plain = await runCli(['logout', '--sandbox', '--profile', profile], {env: dirs.env});
	assert.equal(plain.code, 0, plain.stderr);
	assert.equal(plain.stdout, `Nothing to remove for profile ${profile}.\n`);
	assert.equal(plain.stderr, '');
});

test('logout --json lists the removed items as JSON', async t => {
	const dirs = await createCliEnv(t);
	const profile = `logout-json-${process.pid}`;
	await setUpWithFileStore(dirs, profile);
	const result = await runCli(['logout', '--json', '--sandbox', '--profile', profile], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout) as {profile: string; removed: string[]};
	assert.equal(report.profile, profile);
	for (const field of fields) {
		assert.ok(report.removed.includes(`${profile}/12345678/${field}`), `${field} not in ${report.removed.join(', ')}`);
	}
});
