import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {secretStoreContract} from './contract.js';

secretStoreContract('memory', async () => ({store: createMemoryStore()}));

test('a memory store can start with items', async () => {
	const store = createMemoryStore([[{profile: 'default', accountId: '1', name: 'appKey'}, 'k']]);
	assert.equal(store.kind, 'memory');
	assert.equal(await store.get({profile: 'default', accountId: '1', name: 'appKey'}), 'k');
});
