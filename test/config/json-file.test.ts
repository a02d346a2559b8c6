import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {UsageError} from '../../source/errors.js';
import {readJson, writeJsonAtomic} from '../../source/config/json-file.js';

const root = await mkdtemp(join(tmpdir(), 'lp-json-file-'));
after(async () => rm(root, {recursive: true, force: true}));
let counter = 0;
const freshDirectory = () => join(root, String(counter++));

test('a written file reads back as the same data', async () => {
	const file = join(freshDirectory(), 'a.json');
	await writeJsonAtomic(file, {version: 1, list: [1, 'two'], nested: {ok: true}});
	assert.deepEqual(await readJson(file), {version: 1, list: [1, 'two'], nested: {ok: true}});
});

test('missing parent directories are created', async () => {
	const file = join(freshDirectory(), 'deep', 'er', 'a.json');
	await writeJsonAtomic(file, {});
	assert.deepEqual(await readJson(file), {});
});

test('a missing file reads as undefined', async () => {
	assert.equal(await readJson(join(freshDirectory(), 'nope.json')), undefined);
});

test('a corrupt file is a usage error whose hint names the file', async () => {
	const directory = freshDirectory();
	await writeJsonAtomic(join(directory, 'placeholder.json'), {});
	const file = join(directory, 'broken.json');
	await writeFile(file, '{"version": 1, "profi');
	await assert.rejects(readJson(file), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.match(error.hint ?? '', new RegExp(file.replaceAll('.', '\\.')));
		return true;
	});
});

test('the requested mode is applied exactly', async () => {
	const file = join(freshDirectory(), 'secret.json');
	await writeJsonAtomic(file, {a: 1}, {mode: 0o600});
	assert.equal((await stat(file)).mode & 0o777, 0o600);
	await writeJsonAtomic(file, {a: 2}, {mode: 0o640});
	assert.equal((await stat(file)).mode & 0o777, 0o640);
});

test('rewriting a wider file narrows it to the requested mode', async () => {
	const directory = freshDirectory();
	await writeJsonAtomic(join(directory, 'x.json'), {});
	const file = join(directory, 'creds.json');
	await writeFile(file, '{}', {mode: 0o666});
	await writeJsonAtomic(file, {a: 1}, {mode: 0o600});
	assert.equal((await stat(file)).mode & 0o777, 0o600);
});

test('no temp files are left behind', async () => {
	const directory = freshDirectory();
	await writeJsonAtomic(join(directory, 'a.json'), {a: 1});
	await writeJsonAtomic(join(directory, 'a.json'), {a: 2});
	assert.deepEqual(await readdir(directory), ['a.json']);
});

test('concurrent writers never interleave: the file is always one whole version', async () => {
	const directory = freshDirectory();
	const file = join(directory, 'race.json');
	const big = (n: number) => ({writer: n, padding: String(n).repeat(200_000)});
	const reads: unknown[] = [];
	let writing = true;
	const reader = (async () => {
		while (writing) {
			const text = await readFile(file, 'utf8').catch(() => undefined);
			if (text !== undefined) {
				reads.push(JSON.parse(text));
			}
		}
	})();
	await Promise.all(Array.from({length: 12}, async (_, n) => writeJsonAtomic(file, big(n))));
	writing = false;
	await reader;
	const final = (await readJson(file)) as {writer: number; padding: string};
	assert.equal(final.padding, String(final.writer).repeat(200_000));
	for (const read of reads as Array<{writer: number; padding: string}>) {
		assert.equal(read.padding, String(read.writer).repeat(200_000));
	}

	assert.deepEqual(await readdir(directory), ['race.json']);
});

test('a value that cannot be serialized leaves the old file untouched', async () => {
	const directory = freshDirectory();
	const file = join(directory, 'keep.json');
	await writeJsonAtomic(file, {good: true});
	await assert.rejects(writeJsonAtomic(file, {big: 10n}), TypeError);
	assert.deepEqual(await readJson(file), {good: true});
	assert.deepEqual(await readdir(directory), ['keep.json']);
});
