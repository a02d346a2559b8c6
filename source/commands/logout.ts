import {type RunCommand, result} from './command.js';
import {KeychainUnavailableError} from '../errors.js';
import type {ConfigStore} from '../config/config-store.js';
import {secretAccount, secretNames, type ListableSecretStore, type SecretKey, type SecretName, type SecretStore} from '../secrets/secret-store.js';


export type LogoutOptions = {
	readonly config: ConfigStore;
	/** A store that can `list` (every real backend) also loses items of accounts the profile used before. */
	readonly secrets: SecretStore | ListableSecretStore;
	readonly profile: string;
};

export type LogoutResult = {
	/**
	What was removed: secret items as `PROFILE/ACCOUNT_ID/NAME` (names only, never values), and `config` for the profile's
	saved state.
	*/
	readonly removed: string[];
};

/** Every secret lp-onboard writes for a profile and account. */
export const profileSecretNames: readonly SecretName[] = secretNames;

/**
Forgets a profile: deletes every secret the tool stored for it (an OAuth 2.0 client and its cached token, the four
API-key values, a login password; for every account it listed) and its saved state in the config file. Credentials in
environment variables belong to the user and are left alone. Safe to run twice.
*/
export async function runLogout({config, secrets, profile}: LogoutOptions): Promise<LogoutResult> {
	const state = (await config.load()).profiles[profile];
	const keys = new Map<string, SecretKey>();
	if (state?.accountId) {
		for (const name of profileSecretNames) {
			const key = {profile, accountId: state.accountId, name};
			keys.set(secretAccount(key), key);
		}
	}

	if ('list' in secrets) {
		for (const key of await secrets.list({profile})) {
			keys.set(secretAccount(key), key);
		}
	}

	const removed: string[] = [];
	for (const [account, key] of keys) {
		if (await secrets.delete(key)) {
			removed.push(account);
		}
	}

	if (await config.removeProfile(profile)) {
		removed.push('config');
	}

	return {removed};
}

/** `lp-onboard logout`: removes what the profile stored, and lists it. */
export const run: RunCommand = async f => {
	const profile = f.flags.profile;
	const saved = await f.profile();
	let removed: string[];
	try {
		({removed} = await runLogout({config: f.config, secrets: await f.secrets({forWriting: false}), profile}));
	} catch (error) {
		// With no saved profile the keychain holds nothing lp-onboard knows of (the item names are kept in the profile): a
		// second logout says there is nothing to remove, even when no keychain answers.
		if (saved || !(error instanceof KeychainUnavailableError)) {
			throw error;
		}

		removed = [];
	}

	return result(
		removed.length === 0 ? `Nothing to remove for profile ${profile}.` : [`Removed for profile ${profile}:`, ...removed.map(item => `  ${item}`)],
		{profile, removed},
	);
};
