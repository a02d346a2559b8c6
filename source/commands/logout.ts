import type {ConfigStore} from '../config/config-store.js';
import {credentialFields, type SecretName, type SecretStore} from '../secrets/secret-store.js';

export type LogoutOptions = {
	readonly config: ConfigStore;
	readonly secrets: SecretStore;
	readonly profile: string;
};

export type LogoutResult = {
	/** What was removed: secret names (`appKey`, …, `password`) and `config` for the profile's saved state. */
	readonly removed: string[];
};

/** Every secret lp-onboard writes for a profile. */
export const profileSecretNames: readonly SecretName[] = [...credentialFields, 'password'];

/**
Forgets a profile: deletes every secret the tool stored for it (the four API-key values and a login password) and its saved
state in the config file. Credentials in environment variables are the user's and stay untouched. Safe to run twice.
*/
export async function runLogout({config, secrets, profile}: LogoutOptions): Promise<LogoutResult> {
	const state = (await config.load()).profiles[profile];
	const removed: string[] = [];
	if (state?.accountId) {
		for (const name of profileSecretNames) {
			// eslint-disable-next-line no-await-in-loop
			if (await secrets.delete({profile, accountId: state.accountId, name})) {
				removed.push(name);
			}
		}
	}

	if (await config.removeProfile(profile)) {
		removed.push('config');
	}

	return {removed};
}
