import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {runLogout} from '../../source/commands/logout.js';
import {createConfigStore} from '../../source/config/config-store.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {type SecretKey, type SecretStore} from '../../source/secrets/secret-store.js';
import {credentialFields} from '../../source/liveperson/credentials.js';

async function setup(t: {after(fn: () => Promise<void>): void}) {
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-logout-'));
	t.after(async () => rm(directory, {recursive: true, force: true}));
	const config = createConfigStore(join(directory, 'config.json'));
	const entries: Array<[SecretKey, string]> = [];
	for (const [profile, accountId] of [['default', '12345678'], ['default', '11223344'], ['staging', '12345678']] as const) {
		for (const name of [...credentialFields, 'password'] as const) {
			entries.push([{profile, accountId, name}, `${profile}-${accountId}-${name}`]);
		}
	}

	const secrets = createMemoryStore(entries);
	await config.update('default', {accountId: '12345678', botLoginName: 'bot', completedSteps: ['account']});
	await config.update('staging', {accountId: '12345678'});
	return {config, secrets};
}

test('removes every secret of the profile, for every account it used, and its config state', async t => {
	const {config, secrets} = await setup(t);
	const {removed} = await runLogout({config, secrets, profile: 'default'});
	assert.equal(removed.length, 11);
	assert.ok(removed.includes('default/12345678/appSecret'));
	assert.ok(removed.includes('default/11223344/password'));
	assert.equal(removed.at(-1), 'config');
	assert.deepEqual(await secrets.list({profile: 'default'}), []);
	assert.equal((await secrets.list({profile: 'staging'})).length, 5, 'other profiles keep theirs');
	assert.deepEqual(Object.keys((await config.load()).profiles), ['staging']);
	assert.equal(removed.some(item => item.includes('-')), false, 'only item names are reported, never values');
});

test('running it twice removes nothing the second time', async t => {
	const {config, secrets} = await setup(t);
	await runLogout({config, secrets, profile: 'default'});
	assert.deepEqual(await runLogout({config, secrets, profile: 'default'}), {removed: []});
});

test('a store that cannot list still loses the items of the configured account', async t => {
	const {config, secrets} = await setup(t);
	const plain: SecretStore = {kind: secrets.kind, get: secrets.get, set: secrets.set, delete: secrets.delete};
	const {removed} = await runLogout({config, secrets: plain, profile: 'default'});
	assert.deepEqual(removed, [...credentialFields.map(name => `default/12345678/${name}`), 'default/12345678/password', 'config']);
	assert.equal((await secrets.list({profile: 'default', accountId: '11223344'})).length, 5);
});
