import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {createConfigStore} from '../../source/config/config-store.js';
import {moveSandboxProfiles} from '../../source/config/sandbox-profiles.js';
import {KeychainUnavailableError} from '../../source/errors.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import type {SecretKey} from '../../source/secrets/secret-store.js';

async function world(t: {after(fn: () => Promise<void>): void}) {
	const directory = await mkdtemp(join(tmpdir(), 'lp-sandbox-profiles-'));
	t.after(async () => rm(directory, {recursive: true, force: true}));
	const real = createConfigStore(join(directory, 'config.json'));
	const sandbox = createConfigStore(join(directory, 'sandbox', 'config.json'));
	const key = (profile: string, name: SecretKey['name']): SecretKey => ({profile, accountId: '12345678', name});
	const from = createMemoryStore([[key('default', 'appKey'), 'demo-app-key'], [key('default', 'password'), 'demo-pass'], [key('work', 'appKey'), 'real-key']]);
	// What an earlier lp-onboard left: a sandbox profile and a real one side by side in the real config.json.
	await real.update('default', {accountId: '12345678', sandbox: true, completedSteps: ['account'], keychainItems: ['12345678/appKey', '12345678/password']});
	await real.update('work', {accountId: '12345678', keychainItems: ['12345678/appKey']});
	return {real, sandbox, from, key, warnings: [] as string[]};
}

test('a sandbox profile in the real config moves with its keychain items; real profiles stay', async t => {
	const w = await world(t);
	const to = createMemoryStore();
	const moved = await moveSandboxProfiles({real: w.real, sandbox: w.sandbox, secrets: async () => ({from: w.from, to}), warn: message => w.warnings.push(message)});
	assert.deepEqual(moved, ['default']);
	assert.deepEqual(Object.keys((await w.real.load()).profiles), ['work']);
	assert.deepEqual(await w.sandbox.profile('default'), {accountId: '12345678', sandbox: true, completedSteps: ['account']});
	assert.equal(await to.get(w.key('default', 'appKey')), 'demo-app-key');
	assert.equal(await to.get(w.key('default', 'password')), 'demo-pass');
	assert.deepEqual(await w.from.list({}), [w.key('work', 'appKey')]);
	assert.equal(w.warnings.length, 1);
	assert.match(w.warnings[0]!, /^Profile default in \S+ was set up on the sandbox by an earlier lp-onboard; moved it to the sandbox's own state/);
	assert.deepEqual(await moveSandboxProfiles({real: w.real, sandbox: w.sandbox, secrets: async () => ({from: w.from, to}), warn: message => w.warnings.push(message)}), []);
	assert.equal(w.warnings.length, 1, 'a second run has nothing to move and says nothing');
});

test('a sandbox profile of the same name set up since wins: the old one and its secrets are dropped', async t => {
	const w = await world(t);
	await w.sandbox.update('default', {accountId: '87654321', sandbox: true});
	const to = createMemoryStore();
	await moveSandboxProfiles({real: w.real, sandbox: w.sandbox, secrets: async () => ({from: w.from, to}), warn: message => w.warnings.push(message)});
	assert.equal((await w.sandbox.profile('default'))?.accountId, '87654321');
	assert.deepEqual(await to.list({}), []);
	assert.deepEqual(await w.from.list({profile: 'default'}), []);
	assert.match(w.warnings[0]!, /dropped it: the sandbox has its own profile default, set up since/);
});

test('with no keychain, the profile still moves and the message names the items left behind', async t => {
	const w = await world(t);
	const secrets = async () => {
		throw new KeychainUnavailableError('no Secret Service on D-Bus');
	};

	await moveSandboxProfiles({real: w.real, sandbox: w.sandbox, secrets, warn: message => w.warnings.push(message)});
	assert.equal(await w.real.profile('default'), undefined);
	assert.equal((await w.sandbox.profile('default'))?.accountId, '12345678');
	assert.match(w.warnings[0]!, /Its keychain items \(service lp-onboard: default\/12345678\/appKey, default\/12345678\/password\) stay where they were: The OS keychain is not available/);
});

