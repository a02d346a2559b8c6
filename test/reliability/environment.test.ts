// A hostile local environment, for real: an empty HOME, a directory where config.json goes, paths the user may not
// write or read (run as the unprivileged user "nobody", since root may write anywhere), a full disk (a tiny tmpfs), a
// config.json of the wrong shape, umask 000. Each ends in one message naming the path and the fix, exit 9, never
// "Unexpected error … This is a bug".
import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {chmod, chown, mkdir, mkdtemp, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {cliPath, createCliEnv, runCli, type CliResult, type TempDirs} from '../support/cli.js';
import {mountSkip} from '../support/tmpfs.js';

const run = promisify(execFile);
const wizardArgs = ['--sandbox', '--demo', '--insecure-storage', '--skip-provisioning'];
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('sh', ['-c', 'command -v setpriv']).status === 0;
const asNobodySkip = isRoot && hasSetpriv ? false : 'needs root and setpriv, to run the CLI as the unprivileged user nobody';
const nobody = 65_534;

/** Runs dist/cli.js through `sh -c PREFIX`, e.g. as another user or under another umask. */
async function runVia(prefix: string[], args: string[], env: Record<string, string>): Promise<CliResult> {
	try {
		const {stdout, stderr} = await run(prefix[0]!, [...prefix.slice(1), process.execPath, cliPath, ...args], {env, timeout: 60_000});
		return {code: 0, signal: null, stdout, stderr};
	} catch (error) {
		const failed = error as {code?: number; signal?: NodeJS.Signals | null; stdout?: string; stderr?: string};
		if (typeof failed.code !== 'number') {
			throw error;
		}

		return {code: failed.code, signal: failed.signal ?? null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? ''};
	}
}

const asNobody = async (args: string[], env: Record<string, string>) =>
	runVia(['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups'], args, env);

/** A temp HOME and XDG dirs that belong to nobody (the temp root is root's 0700 otherwise). */
async function nobodysDirs(t: {after(fn: () => Promise<void>): void}): Promise<TempDirs> {
	const dirs = await createCliEnv(t);
	await chmod(dirs.root, 0o755);
	for (const name of ['home', 'config', 'state', 'data', 'cache']) {
		await chown(join(dirs.root, name), nobody, nobody);
	}

	return dirs;
}

function assertEnvironmentError(result: CliResult, path: RegExp | string, fix: RegExp) {
	assert.equal(result.code, 9, result.stderr);
	assert.doesNotMatch(result.stderr, /Unexpected error|This is a bug/);
	const [message = '', hint = ''] = result.stderr.trim().split('\n').slice(-2);
	assert.match(message, typeof path === 'string' ? new RegExp(path.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')) : path);
	assert.match(hint, fix);
}

test('an empty HOME with no XDG dirs is refused, and nothing is written in the current directory', async t => {
	const dirs = await createCliEnv(t);
	const cwd = join(dirs.root, 'cwd');
	await mkdir(cwd);
	const result = await runCli(wizardArgs, {env: {PATH: dirs.env['PATH']!, HOME: '', CI: 'true'}, cwd});
	assertEnvironmentError(result, /HOME is empty/, /Set HOME to your home directory, or XDG_CONFIG_HOME and XDG_STATE_HOME/);
	assert.deepEqual(await readdir(cwd), []);
});

test('config.json that is a directory', async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.configDir, 'config.json');
	await mkdir(file, {recursive: true});
	const result = await runCli(['status', '--profile', 'p'], {env: dirs.env});
	assertEnvironmentError(result, `${file} is a directory`, /mv .*config\.json .*config\.json\.bak/);
});

test('a config.json of the wrong shape is treated as corrupt: its bad fields are ignored with a warning', async t => {
	const dirs = await createCliEnv(t);
	await mkdir(dirs.configDir, {recursive: true});
	await writeFile(join(dirs.configDir, 'config.json'), JSON.stringify({version: 1, profiles: {p: {accountId: '12345678', completedSteps: 'abc', storage: 'file'}, q: 'nope'}}));
	const result = await runCli(['status', '--json', '--profile', 'p'], {env: dirs.env});
	assert.doesNotMatch(result.stderr, /Unexpected error|is not a function/);
	assert.match(result.stderr, /Ignoring completedSteps of profile "p" in .*config\.json: it is not of the right type/);
	assert.match(result.stderr, /Ignoring profile "q"/);
	const status = JSON.parse(result.stdout) as {accountId: string; completedSteps: string[]};
	assert.equal(status.accountId, '12345678');
	assert.deepEqual(status.completedSteps, []);
});

test('a read-only config directory', {skip: asNobodySkip}, async t => {
	const dirs = await nobodysDirs(t);
	await mkdir(dirs.configDir);
	await chown(dirs.configDir, nobody, nobody);
	await chmod(dirs.configDir, 0o500);
	const result = await asNobody(wizardArgs, {...dirs.env, CI: 'true'});
	assertEnvironmentError(result, 'Permission denied: lp-onboard cannot', new RegExp(`Give your user access to ${dirs.configDir} `));
});

test('an unwritable HOME (no XDG dirs)', {skip: asNobodySkip}, async t => {
	const dirs = await nobodysDirs(t);
	const home = join(dirs.root, 'home');
	await chown(home, 0, 0);
	await chmod(home, 0o755);
	const result = await asNobody(wizardArgs, {PATH: dirs.env['PATH']!, HOME: home, CI: 'true'});
	assertEnvironmentError(result, new RegExp(`Permission denied: lp-onboard cannot create ${home}/(\\.config|\\.local/state)/lp-onboard\\.`), new RegExp(`Give your user access to ${home} \\(see \`ls -ld ${home}\`\\)`));
});

test('an unreadable credentials file', {skip: asNobodySkip}, async t => {
	const dirs = await nobodysDirs(t);
	const file = join(dirs.configDir, 'credentials.json');
	await mkdir(dirs.configDir, {mode: 0o700});
	await chown(dirs.configDir, nobody, nobody);
	// The user's own file at mode 0000: lp-onboard cannot read it, and says how to look.
	await writeFile(file, '{}', {mode: 0o000});
	await chown(file, nobody, nobody);
	const result = await asNobody(['status', '--insecure-storage', '--profile', 'p'], {...dirs.env, LP_ACCOUNT_ID: '12345678'});
	assertEnvironmentError(result, `Permission denied: lp-onboard cannot read ${file}.`, new RegExp(`ls -ld ${file}`));

	// Another user's file is refused before it is read (and never chmod-ed).
	await chown(file, 0, 0);
	const foreign = await asNobody(['status', '--insecure-storage', '--profile', 'p'], {...dirs.env, LP_ACCOUNT_ID: '12345678'});
	assertEnvironmentError(foreign, `${file} belongs to another user (uid 0): lp-onboard does not use credentials it does not own.`, /Move it away, or run lp-onboard as its owner; then store the credentials again/);
	assert.equal((await stat(file)).mode & 0o777, 0);
});

test('a full disk', {skip: mountSkip}, async t => {
	const dirs = await createCliEnv(t);
	const full = await mkdtemp(join(tmpdir(), 'lp-full-disk-'));
	await run('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', full]);
	t.after(async () => {
		await run('umount', [full]);
		await rm(full, {recursive: true, force: true});
	});
	// Fill it to the last byte: the config directory can still be made, its files cannot be written.
	// The sandbox's own folder in it: where a --sandbox run writes.
	await mkdir(join(full, 'lp-onboard', 'sandbox'), {mode: 0o700, recursive: true});
	await run('sh', ['-c', `cat /dev/zero > ${join(full, 'filler')}`]).catch(() => undefined);
	const result = await runCli(wizardArgs, {env: {...dirs.env, XDG_CONFIG_HOME: full, CI: 'true'}, timeoutMs: 60_000});
	assertEnvironmentError(result, /The disk is full: lp-onboard cannot (write|lock) .*\/lp-onboard\//, /Free some space/);
	// Nothing half-written is left behind.
	assert.deepEqual(await readdir(join(full, 'lp-onboard')), ['sandbox']);
	assert.deepEqual(await readdir(join(full, 'lp-onboard', 'sandbox')), []);
});

test('under umask 000 the config and state directories are still 0700', async t => {
	const dirs = await createCliEnv(t);
	const result = await runVia(['sh', '-c', 'umask 000 && exec "$@"', 'sh'], [...wizardArgs, '--profile', 'p'], {...dirs.env, CI: 'true'});
	assert.equal(result.code, 0, result.stderr);
	assert.equal((await stat(dirs.configDir)).mode & 0o777, 0o700);
	assert.equal((await stat(dirs.stateDir)).mode & 0o777, 0o700);
	// The sandbox's own folder (a --sandbox run) too.
	assert.equal((await stat(dirs.sandboxConfigDir)).mode & 0o777, 0o700);
	assert.equal((await stat(join(dirs.sandboxConfigDir, 'credentials.json'))).mode & 0o777, 0o600);
});
