import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {configSecretIndex, createConfigStore, validateProfileName} from '../../source/config/config-store.js';
import {UsageError} from '../../source/errors.js';

const root = await mkdtemp(join(tmpdir(), 'lp-config-store-'));
after(async () => rm(root, {recursive: true, force: true}));
let counter = 0;
const freshFile = () => join(root, String(counter++), 'lp-onboard', 'config.json');

test('a config file that does not exist loads as an empty version 1 config', async () => {
	assert.deepEqual(await createConfigStore(freshFile()).load(), {version: 1, profiles: {}});
});

test('update creates the profile and writes it to disk', async () => {
	const file = freshFile();
	const store = createConfigStore(file);
	const saved = await store.update('default', {accountId: '12345678', loginMethod: 'api-key', storage: 'keychain'});
	assert.deepEqual(saved, {accountId: '12345678', loginMethod: 'api-key', storage: 'keychain'});
	assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
		version: 1,
		profiles: {default: {accountId: '12345678', loginMethod: 'api-key', storage: 'keychain'}},
	});
});

test('update merges into the existing profile and leaves other profiles alone', async () => {
	const store = createConfigStore(freshFile());
	await store.update('default', {accountId: '1', botLoginName: 'bot'});
	await store.update('staging', {accountId: '2'});
	await store.update('default', {domains: {fetchedAt: 1000, map: {agentVep: 'va.agentvep.liveperson.net'}}});
	assert.deepEqual(await store.load(), {
		version: 1,
		profiles: {
			default: {accountId: '1', botLoginName: 'bot', domains: {fetchedAt: 1000, map: {agentVep: 'va.agentvep.liveperson.net'}}},
			staging: {accountId: '2'},
		},
	});
});

test('a patch key set to undefined removes that key', async () => {
	const store = createConfigStore(freshFile());
	await store.update('default', {accountId: '1', csdsUrl: 'https://example.test'});
	assert.deepEqual(await store.update('default', {csdsUrl: undefined}), {accountId: '1'});
	assert.deepEqual(await store.profile('default'), {accountId: '1'});
});

test('update accepts a function of the current profile', async () => {
	const store = createConfigStore(freshFile());
	await store.update('default', {completedSteps: ['account']});
	await store.update('default', current => ({completedSteps: [...(current.completedSteps ?? []), 'domains']}));
	assert.deepEqual((await store.profile('default'))?.completedSteps, ['account', 'domains']);
});

test('concurrent updates from one process are all kept', async () => {
	const file = freshFile();
	const store = createConfigStore(file);
	const other = createConfigStore(file);
	const steps = Array.from({length: 20}, (_, n) => `step-${n}`);
	await Promise.all(
		steps.map(async (step, n) =>
			(n % 2 ? other : store).update('default', current => ({completedSteps: [...(current.completedSteps ?? []), step]})),
		),
	);
	assert.deepEqual([...((await store.profile('default'))?.completedSteps ?? [])].sort(), [...steps].sort());
});

test('removeProfile returns what it removed, and undefined the second time', async () => {
	const store = createConfigStore(freshFile());
	await store.update('default', {accountId: '1'});
	await store.update('staging', {accountId: '2'});
	assert.deepEqual(await store.removeProfile('staging'), {accountId: '2'});
	assert.equal(await store.removeProfile('staging'), undefined);
	assert.deepEqual(await store.load(), {version: 1, profiles: {default: {accountId: '1'}}});
});

test('a profile that was never saved is undefined, even when its name is an Object.prototype key', async () => {
	const store = createConfigStore(freshFile());
	await store.update('default', {accountId: '1'});
	assert.equal(await store.profile('constructor'), undefined);
	assert.equal(await store.removeProfile('toString'), undefined);
});

test('invalid profile names are usage errors', async () => {
	const store = createConfigStore(freshFile());
	for (const name of ['', 'a b', 'a/b', '../x', 'x'.repeat(65), 'ü']) {
		assert.throws(() => validateProfileName(name), UsageError, name);
		await assert.rejects(store.update(name, {accountId: '1'}), UsageError);
	}

	assert.equal(validateProfileName('Prod_eu-2'), 'Prod_eu-2');
	assert.equal(validateProfileName('x'.repeat(64)), 'x'.repeat(64));
});

test('a config from a newer version is refused with a hint instead of being overwritten', async () => {
	const file = freshFile();
	const store = createConfigStore(file);
	await store.update('default', {accountId: '1'});
	await writeFile(file, JSON.stringify({version: 2, profiles: {}}));
	await assert.rejects(store.update('default', {accountId: '2'}), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.match(error.message, /version 2/);
		return true;
	});
	assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {version: 2, profiles: {}});
});

test('a file that is JSON but not a config is a usage error naming the file', async () => {
	const file = freshFile();
	const store = createConfigStore(file);
	await store.update('default', {});
	await writeFile(file, '[1, 2]');
	await assert.rejects(store.load(), (error: unknown) => error instanceof UsageError && error.message.includes(file));
});

test('fields of the wrong type are ignored with one warning each, and the rest of the profile is kept', async () => {
	const file = freshFile();
	await createConfigStore(file).update('p', {accountId: '12345678'});
	await writeFile(file, JSON.stringify({version: 1, profiles: {p: {accountId: '12345678', completedSteps: 'abc', loginMethod: 'magic', extra: 1}, q: 'nope'}}));
	const warnings: string[] = [];
	const store = createConfigStore(file, {warn: message => warnings.push(message)});
	assert.deepEqual(await store.profile('p'), {accountId: '12345678', extra: 1});
	await store.load();
	assert.deepEqual(warnings, [
		`Ignoring completedSteps of profile "p" in ${file}: it is not of the right type.`,
		`Ignoring loginMethod of profile "p" in ${file}: it is not of the right type.`,
		`Ignoring profile "q" in ${file}: it is not an object.`,
	]);
	// The next write drops what was ignored.
	await store.update('p', {botLoginName: 'bot'});
	assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {version: 1, profiles: {p: {accountId: '12345678', extra: 1, botLoginName: 'bot'}}});
});

test('the keychain index lists, adds and removes item names per profile, and never brings a removed profile back', async () => {
	const store = createConfigStore(freshFile());
	const index = configSecretIndex(store);
	await index.add({profile: 'p', accountId: '1', name: 'appKey'});
	await index.add({profile: 'p', accountId: '1', name: 'appKey'});
	await index.add({profile: 'q', accountId: '2', name: 'password'});
	assert.deepEqual((await store.profile('p'))?.keychainItems, ['1/appKey']);
	assert.deepEqual(await index.indexed('p'), [{profile: 'p', accountId: '1', name: 'appKey'}]);
	assert.equal((await index.indexed()).length, 2);
	await store.removeProfile('q');
	await index.remove({profile: 'q', accountId: '2', name: 'password'});
	assert.equal(await store.profile('q'), undefined);
	await index.remove({profile: 'p', accountId: '1', name: 'appKey'});
	assert.deepEqual(await store.profile('p'), {});
});
