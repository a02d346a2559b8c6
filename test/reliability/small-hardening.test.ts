// The small ones an adversarial pass found: a huge CSDS answer, escape sequences in config.json, a config file with a
// byte order mark, a lock conflict under --accounts, a checkpoint warning's punctuation, oversized local files.
import assert from 'node:assert/strict';
import {chmod, mkdir, mkdtemp, rm, stat, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {formatDomainsTable} from '../../source/commands/domains.js';
import {formatStatus, runStatus} from '../../source/commands/status.js';
import {createConfigStore} from '../../source/config/config-store.js';
import {readJson} from '../../source/config/json-file.js';
import {acquireLock} from '../../source/config/lock.js';
import {checkpointFile, loadCheckpoint} from '../../source/provisioning/checkpoint.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {createCliEnv, plainEnv, runCli} from '../support/cli.js';

async function scratch(t: {after(fn: () => Promise<void>): void}): Promise<string> {
	const root = await mkdtemp(join(tmpdir(), 'lp-small-'));
	t.after(async () => rm(root, {recursive: true, force: true}));
	return root;
}

test('the domains table of 130,000 services is laid out without overflowing the stack', () => {
	const domains = Object.fromEntries(Array.from({length: 130_000}, (_, index) => [`service${index}`, `va.s${index}.example.test`]));
	const table = formatDomainsTable(domains);
	const lines = table.split('\n');
	assert.equal(lines.length, 130_000);
	assert.equal(lines[0], `service0${' '.repeat('service129999'.length - 'service0'.length)}  va.s0.example.test`);
});

test('status never prints the escape sequences a login name or account id in config.json holds', async t => {
	const root = await scratch(t);
	const file = join(root, 'config.json');
	await writeFile(file, JSON.stringify({version: 1, profiles: {default: {accountId: '123\u001B[2J', botLoginName: 'bot\u001B]0;pwned\u0007\u001B[31mred', loginMethod: 'api-key'}}}));
	const report = await runStatus({config: createConfigStore(file), secrets: createMemoryStore(), env: {}, profile: 'default'});
	const text = formatStatus(report).join('\n');
	assert.doesNotMatch(text, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/, 'no control character at all');
	assert.match(text, /Login: +bot\]0;pwnedred \(with the credentials\)/);
});

test('a config file that starts with a byte order mark is read', async t => {
	const root = await scratch(t);
	const file = join(root, 'config.json');
	await writeFile(file, `\uFEFF${JSON.stringify({version: 1, profiles: {default: {accountId: '12345678'}}})}`);
	assert.equal((await createConfigStore(file).profile('default'))?.accountId, '12345678');
});

test('a config or state file over 16 MiB is "too large", not a crash; nothing past the cap is read', async t => {
	const root = await scratch(t);
	const file = join(root, 'config.json');
	await writeFile(file, '');
	await truncate(file, 600 * 1024 * 1024); // Sparse: 600 MB that take no disk.
	await assert.rejects(readJson(file), {name: 'UsageError', message: `${file} is too large (over 16 MiB), more than lp-onboard ever writes.`});
	const stateDir = join(root, 'state');
	await mkdir(stateDir);
	await writeFile(checkpointFile(stateDir, '12345678'), '');
	await truncate(checkpointFile(stateDir, '12345678'), 600 * 1024 * 1024);
	const warnings: string[] = [];
	assert.equal(await loadCheckpoint(stateDir, '12345678', message => warnings.push(message)), undefined);
	assert.deepEqual(warnings, [`Ignoring the provisioning checkpoint ${checkpointFile(stateDir, '12345678')}: it is too large (over 16 MiB).`]);
});

test('--data @/dev/zero stops at its 4 MiB cap with "too large", before any call', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['api', '--sandbox', '--account', '12345678', '--data', '@/dev/zero', '/api/account/{accountId}/configuration/le-users/users?v=4.0'], {
		env: {...dirs.env, ...plainEnv},
	});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /--data is too large \(over 4 MiB\)/);
});

test('provision --accounts whose every account another run holds exits 9 (a lock conflict), not 7', async t => {
	const dirs = await createCliEnv(t);
	const accounts = join(dirs.root, 'accounts.txt');
	await writeFile(accounts, '12345678\n87654321\n');
	// --sandbox keeps its checkpoints apart from the real ones, in the state directory's sandbox/.
	const stateDir = join(dirs.stateDir, 'sandbox');
	await mkdir(stateDir, {recursive: true});
	// This test process is the other run: alive, so its locks are not stale.
	const locks = await Promise.all(['12345678', '87654321'].map(async id => acquireLock(checkpointFile(stateDir, id), {timeoutMs: 0})));
	t.after(async () => {
		await Promise.all(locks.map(async lock => lock.release()));
	});
	const result = await runCli(['provision', '--sandbox', '--yes', '--json', '--accounts', accounts], {
		env: {...dirs.env, ...plainEnv, LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'},
		timeoutMs: 60_000,
	});
	assert.equal(result.code, 9, result.stderr);
	assert.match(result.stdout + result.stderr, /being provisioned by another lp-onboard/);
});

test('a credentials file at 0644 is narrowed to 0600 with a warning by the next command, and status says so', async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...plainEnv};
	const setup = await runCli(['--sandbox', '--demo', '--skip-provisioning', '--insecure-storage'], {env, timeoutMs: 60_000});
	assert.equal(setup.code, 0, setup.stderr);
	// --sandbox keeps its profiles apart from the real ones, in the config directory's sandbox/.
	const file = join(dirs.configDir, 'sandbox', 'credentials.json');
	await chmod(file, 0o644);
	const status = await runCli(['status', '--sandbox'], {env, timeoutMs: 60_000});
	assert.equal(status.code, 0, status.stderr);
	assert.match(status.stderr, /credentials\.json was readable by others \(mode 0644\); it is 0600 now/);
	assert.equal((await stat(file)).mode & 0o777, 0o600);
	assert.match(status.stdout, /plain file \(mode 0600\)/);
});
