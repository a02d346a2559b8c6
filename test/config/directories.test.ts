import assert from 'node:assert/strict';
import {chmod, mkdir, mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {ensurePrivateDirectory} from '../../source/config/directories.js';
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
