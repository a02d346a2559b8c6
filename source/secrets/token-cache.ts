import type {TokenCache} from '../liveperson/authorizer.js';
import type {SecretStore} from './secret-store.js';

/**
The Sentinel token of a profile's OAuth 2.0 client, kept where the profile keeps its secrets: the OS keychain, the 0600
file the user chose, or memory when nothing is stored. Never a plain file the user did not choose.
*/
export function secretTokenCache(
	store: SecretStore,
	{profile, accountId}: {profile: string; accountId: string},
): TokenCache {
	const key = {profile, accountId, name: 'oauth2Token'} as const;
	return {
		get: async () => store.get(key),
		set: async value => store.set(key, value),
		async clear() {
			await store.delete(key);
		},
	};
}
