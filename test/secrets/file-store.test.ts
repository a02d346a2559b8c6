import assert from 'node:assert/strict';
import {chmod, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {UsageError} from '../../source/errors.js';
import {createFileStore} from '../../source/secrets/file-store.js';
import {type SecretKey, secretAccount} from '../../source/secrets/secret-store.js';
import {secretStoreContract} from './contract.js';

const root = await mkdtemp(join(tmpdir(), 'lp-file-store-'));
after(async () => rm(root, {recursive: true, force: true}));
let counter = 0;
const freshFile = () => join(root, String(counter++), 'lp-onboard', 'credentials.json');
const key: SecretKey = {profile: 'default', accountId: '12345678', name: 'appSecret'};

const readRaw = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;

secretStoreContract('file', async () => {
	const file = freshFile();
	return {
		store: createFileStore(file),
		async inspect(item) {
			const raw = await readRaw(file).catch((): Record<string, string> => ({}));
			return raw[secretAccount(item)];
		},
	};
});

test('the credentials file is 0600 in a 0700 directory, keyed PROFILE/ACCOUNT_ID/NAME', async () => {
	const file = freshFile();
	const store = createFileStore(file);
	assert.equal(store.kind, 'file');
	await store.set(key, 's3cr3t');
	assert.equal((await stat(file)).mode & 0o777, 0o600);
	assert.equal((await stat(join(file, '..'))).mode & 0o777, 0o700);
	assert.deepEqual(await readRaw(file), {'default/12345678/appSecret': 's3cr3t'});
});

test('a credentials file that others could read is narrowed to 0600 on the next write', async () => {
	const file = freshFile();
	const store = createFileStore(file);
	await store.set(key, 'one');
	await writeFile(file, JSON.stringify({'default/1/appKey': 'old'}), {mode: 0o644});
	await chmod(file, 0o644);
	await store.set(key, 'two');
	assert.equal((await stat(file)).mode & 0o777, 0o600);
	assert.deepEqual(await readRaw(file), {'default/1/appKey': 'old', 'default/12345678/appSecret': 'two'});
});

test('writes leave no temp files next to the credentials file', async () => {
	const file = freshFile();
	const store = createFileStore(file);
	await store.set(key, 'a');
	await store.set({...key, name: 'appKey'}, 'b');
	await store.delete(key);
	assert.deepEqual(await readdir(join(file, '..')), ['credentials.json']);
});

test('a corrupt credentials file is a usage error that names the file and not its contents', async () => {
	const file = freshFile();
	const store = createFileStore(file);
	await store.set(key, 'a');
	await writeFile(file, '{"default/1/appKey": "leaked-valu');
	await assert.rejects(store.get(key), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.ok(`${error.message} ${error.hint}`.includes(file));
		assert.ok(!`${error.message} ${error.hint}`.includes('leaked'));
		return true;
	});
});

test('a JSON file whose values are not strings is refused', async () => {
	const file = freshFile();
	const store = createFileStore(file);
	await store.set(key, 'a');
	await writeFile(file, JSON.stringify({'default/1/appKey': 42}));
	await assert.rejects(store.set(key, 'b'), UsageError);
	assert.deepEqual(await readRaw(file), {'default/1/appKey': 42});
});

test('two stores on the same file do not lose each other’s writes', async () => {
	const file = freshFile();
	const first = createFileStore(file);
	const second = createFileStore(file);
	await Promise.all(
		Array.from({length: 10}, async (_, n) => (n % 2 ? first : second).set({...key, accountId: String(n)}, `v${n}`)),
	);
	assert.equal(Object.keys(await readRaw(file)).length, 10);
});

test('a credentials file others can read is narrowed to 0600 before it is read, with a warning naming its old mode', async () => {
	const file = freshFile();
	const warnings: string[] = [];
	const store = createFileStore(file, {warn(message) {
		warnings.push(message);
	}});
	await store.set(key, 'value');
	assert.deepEqual(warnings, [], 'a 0600 file is used silently');
	await chmod(file, 0o644);
	assert.equal(await store.get(key), 'value');
	assert.equal((await stat(file)).mode & 0o777, 0o600);
	assert.equal(warnings.length, 1);
	assert.match(warnings[0]!, /was readable by others \(mode 0644\); it is 0600 now/);
});
