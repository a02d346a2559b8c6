import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {secretAccount} from '../../source/secrets/secret-store.js';
import {secretStoreContract} from './contract.js';

secretStoreContract('memory', async () => {
	// The map behind the store: what another holder of it (the dry run's report, a test) sees.
	const backing = new Map<string, string>();
	return {store: createMemoryStore([], backing), inspect: async item => backing.get(secretAccount(item))};
});

test('a memory store can start with items', async () => {
	const store = createMemoryStore([[{profile: 'default', accountId: '1', name: 'appKey'}, 'k']]);
	assert.equal(store.kind, 'memory');
	assert.equal(await store.get({profile: 'default', accountId: '1', name: 'appKey'}), 'k');
});
