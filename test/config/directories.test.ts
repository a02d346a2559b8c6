import assert from 'node:assert/strict';
import {chmod, chown, mkdir, mkdtemp, rm, stat, symlink} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {ensurePrivateDirectory} from '../../source/config/directories.js';
import {EnvironmentError} from '../../source/errors.js';
import {writeJsonAtomic} from '../../source/config/json-file.js';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

test('new directories are 0700 whatever the umask; an existing lp-onboard directory is narrowed to 0700', async t => {
	const root = await mkdtemp(join(tmpdir(), 'lp-onboard-dirs-'));
	t.after(async () => rm(root, {recursive: true, force: true}));
	await ensurePrivateDirectory(join(root, 'a', 'lp-onboard'));
	assert.equal(await mode(join(root, 'a')), 0o700);
	assert.equal(await mode(join(root, 'a', 'lp-onboard')), 0o700);
	await chmod(join(root, 'a', 'lp-onboard'), 0o755);
	await ensurePrivateDirectory(join(root, 'a', 'lp-onboard'));
	assert.equal(await mode(join(root, 'a', 'lp-onboard')), 0o700);
});

test('a file written into a shared folder that already exists leaves that folder as it was', async t => {
	const root = await mkdtemp(join(tmpdir(), 'lp-onboard-dirs-'));
	t.after(async () => rm(root, {recursive: true, force: true}));
	const shared = join(root, 'shared');
	await mkdir(shared);
	await chmod(shared, 0o1777);
	await writeJsonAtomic(join(shared, 'state.json'), {ok: true});
	assert.equal((await stat(shared)).mode & 0o7777, 0o1777);
	assert.equal(await mode(join(shared, 'state.json')), 0o644);
});

test('a symlinked lp-onboard directory pointing at a sticky 1777 directory is refused, and the target is left as it was', async t => {
	const root = await mkdtemp(join(tmpdir(), 'lp-onboard-dirs-'));
	t.after(async () => rm(root, {recursive: true, force: true}));
	const shared = join(root, 'shared-tmp');
	await mkdir(shared);
	await chmod(shared, 0o1777);
	await mkdir(join(root, 'config'));
	await symlink(shared, join(root, 'config', 'lp-onboard'));
	await assert.rejects(ensurePrivateDirectory(join(root, 'config', 'lp-onboard')), (error: unknown) => {
		assert.ok(error instanceof EnvironmentError, String(error));
		assert.equal(error.exitCode, 9);
		assert.match(error.message, /lp-onboard \(a symbolic link to .*shared-tmp\) points to a directory anyone can write to/);
		assert.match(error.hint ?? '', /Remove the link/);
		return true;
	});
	assert.equal((await stat(shared)).mode & 0o7777, 0o1777, 'never chmod-ed');
});

test('an lp-onboard directory of another user is refused and never chmod-ed', {skip: process.getuid?.() === 0 ? false : 'needs root, to chown a directory to nobody'}, async t => {
	const root = await mkdtemp(join(tmpdir(), 'lp-onboard-dirs-'));
	t.after(async () => rm(root, {recursive: true, force: true}));
	const theirs = join(root, 'theirs');
	await mkdir(theirs);
	await chmod(theirs, 0o755);
	await chown(theirs, 65_534, 65_534);
	for (const directory of [join(root, 'a', 'lp-onboard'), join(root, 'b', 'lp-onboard')]) {
		await mkdir(join(directory, '..'));
	}

	await symlink(theirs, join(root, 'a', 'lp-onboard'));
	await mkdir(join(root, 'b', 'lp-onboard'));
	await chmod(join(root, 'b', 'lp-onboard'), 0o755);
	await chown(join(root, 'b', 'lp-onboard'), 65_534, 65_534);
	for (const directory of [join(root, 'a', 'lp-onboard'), join(root, 'b', 'lp-onboard')]) {
		await assert.rejects(ensurePrivateDirectory(directory), {name: 'EnvironmentError', message: /belongs to another user \(uid 65534\)/});
	}

	assert.equal((await stat(theirs)).mode & 0o777, 0o755);
	assert.equal((await stat(join(root, 'b', 'lp-onboard'))).mode & 0o777, 0o755);
});

test('a symlinked lp-onboard directory that is the user\'s own private directory is used', async t => {
	const root = await mkdtemp(join(tmpdir(), 'lp-onboard-dirs-'));
	t.after(async () => rm(root, {recursive: true, force: true}));
	await mkdir(join(root, 'dotfiles'), {mode: 0o755});
	await mkdir(join(root, 'config'));
	await symlink(join(root, 'dotfiles'), join(root, 'config', 'lp-onboard'));
	await ensurePrivateDirectory(join(root, 'config', 'lp-onboard'));
	assert.equal(await mode(join(root, 'dotfiles')), 0o700);
});
