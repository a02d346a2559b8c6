import {filterSecretAccounts, type ListableSecretStore, type SecretKey, secretAccount} from './secret-store.js';

/** A `SecretStore` that forgets everything on exit: for tests and `--dry-run`. `items` is the map it keeps them in. */
export function createMemoryStore(
	initial: Iterable<readonly [SecretKey, string]> = [],
	items = new Map<string, string>(),
): ListableSecretStore {
	for (const [key, value] of initial) {
		items.set(secretAccount(key), value);
	}

	return {
		kind: 'memory',
		async get(key) {
			return items.get(secretAccount(key));
		},
		async set(key, value) {
			items.set(secretAccount(key), value);
		},
		async delete(key) {
			return items.delete(secretAccount(key));
		},
		async list(filter) {
			return filterSecretAccounts(items.keys(), filter);
		},
	};
}
