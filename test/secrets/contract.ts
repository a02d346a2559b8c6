import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {after, before, describe, test as nodeTest} from 'node:test';
import type {ListableSecretStore, SecretKey} from '../../source/secrets/secret-store.js';

export type ContractSubject = {
	readonly store: ListableSecretStore;
	/**
	Reads an item the way an outsider would (the raw file, `secret-tool`, the memory store's backing map), to prove the
	store really wrote it. Every backend has one: a contract that never looks from outside would pass a store that only
	pretends.
	*/
	readonly inspect: (key: SecretKey) => Promise<string | undefined>;
	/** Removes whatever the run left behind. */
	readonly cleanup?: () => Promise<void>;
};

export type ContractOptions = {
	/** Why the whole suite is skipped, or `false` to run it. */
	readonly skip?: string | false;
};

/**
The behaviour every `SecretStore` backend shares. Each backend's test file calls this once; keys use a fresh profile per
run, so the real keychain never sees another run's items.
*/
export function secretStoreContract(
	backend: string,
	create: () => Promise<ContractSubject>,
	options: ContractOptions = {},
): void {
	const skip = options.skip ?? false;
	// Skip each test rather than the suite, so the runner counts them as skipped.
	const test = (title: string, run: () => Promise<void>) => {
		nodeTest(title, {skip}, run);
	};

	describe(`the ${backend} secret store`, () => {
		const profile = `test-${randomBytes(4).toString('hex')}`;
		const key = (accountId: string, name: SecretKey['name'] = 'appKey'): SecretKey => ({profile, accountId, name});
		let subject: ContractSubject;

		before(async () => {
			if (!skip) {
				subject = await create();
			}
		});
		after(async () => {
			if (skip) {
				return;
			}

			for (const stored of await subject.store.list({profile})) {
				await subject.store.delete(stored);
			}

			await subject.cleanup?.();
		});

		const expectOutside = async (item: SecretKey, value: string | undefined) => {
			assert.equal(await subject.inspect(item), value, `seen from outside the ${backend} store`);
		};

		test('an item that was never stored reads as undefined', async () => {
			assert.equal(await subject.store.get(key('100')), undefined);
			await expectOutside(key('100'), undefined);
		});

		test('a stored item reads back unchanged and is visible from outside', async () => {
			await subject.store.set(key('101'), 'app-key-101');
			assert.equal(await subject.store.get(key('101')), 'app-key-101');
			await expectOutside(key('101'), 'app-key-101');
		});

		test('storing again replaces the value', async () => {
			await subject.store.set(key('102'), 'first');
			await subject.store.set(key('102'), 'second');
			assert.equal(await subject.store.get(key('102')), 'second');
			await expectOutside(key('102'), 'second');
		});

		test('profile, account and name each tell items apart', async () => {
			const otherProfile: SecretKey = {profile: `${profile}-b`, accountId: '103', name: 'appKey'};
			await subject.store.set(key('103', 'appKey'), 'key');
			await subject.store.set(key('103', 'appSecret'), 'secret');
			await subject.store.set(key('1030', 'appKey'), 'other account');
			await subject.store.set(otherProfile, 'other profile');
			try {
				assert.equal(await subject.store.get(key('103', 'appKey')), 'key');
				assert.equal(await subject.store.get(key('103', 'appSecret')), 'secret');
				assert.equal(await subject.store.get(key('1030', 'appKey')), 'other account');
				assert.equal(await subject.store.get(otherProfile), 'other profile');
				assert.equal(await subject.store.get(key('103', 'accessToken')), undefined);
			} finally {
				await subject.store.delete(otherProfile);
			}
		});

		test('values with spaces, newlines, quotes and non-ASCII survive the round trip', async () => {
			const value = ` a=b "c" 'd'\n\tünïcødé ✓ ${'x'.repeat(2000)} `;
			await subject.store.set(key('104', 'accessTokenSecret'), value);
			assert.equal(await subject.store.get(key('104', 'accessTokenSecret')), value);
			await expectOutside(key('104', 'accessTokenSecret'), value);
		});

		test('delete removes the item and reports whether there was one', async () => {
			await subject.store.set(key('105', 'password'), 'hunter2');
			assert.equal(await subject.store.delete(key('105', 'password')), true);
			assert.equal(await subject.store.get(key('105', 'password')), undefined);
			await expectOutside(key('105', 'password'), undefined);
			assert.equal(await subject.store.delete(key('105', 'password')), false);
		});

		test('list returns the stored keys, filtered by profile and account', async () => {
			await subject.store.set(key('106', 'appKey'), 'a');
			await subject.store.set(key('106', 'accessToken'), 'b');
			await subject.store.set(key('107', 'appKey'), 'c');
			assert.deepEqual(await subject.store.list({profile, accountId: '106'}), [key('106', 'accessToken'), key('106', 'appKey')]);
			const all = await subject.store.list({profile});
			assert.ok(all.some(item => item.accountId === '107'));
			assert.ok(all.every(item => item.profile === profile));
			assert.ok((await subject.store.list()).length >= all.length);
		});

		test('concurrent writes to different items are all kept', async () => {
			const names = ['appKey', 'appSecret', 'accessToken', 'accessTokenSecret', 'password'] as const;
			await Promise.all(names.map(async name => subject.store.set(key('108', name), `value-${name}`)));
			for (const name of names) {
				assert.equal(await subject.store.get(key('108', name)), `value-${name}`);
			}
		});
	});
}
