import type {Env} from '../environment.js';
import {KeychainUnavailableError} from '../errors.js';
import {sandboxSecretService, type ListableSecretStore} from '../secrets/secret-store.js';
import {configSecretIndex, type ConfigStore} from './config-store.js';
import type {ConfigPaths} from './paths.js';

/** Both sides of one move: where the secrets of a profile were, and where the sandbox keeps them now. */
export type SecretStorePair = {readonly from: ListableSecretStore; readonly to: ListableSecretStore};

export type MoveSandboxProfilesOptions = {
	/** The real profiles' config.json, where an earlier lp-onboard kept `--sandbox` profiles too. */
	readonly real: ConfigStore;
	/** The sandbox's own config.json (`sandboxPaths`). */
	readonly sandbox: ConfigStore;
	/** The stores of one storage kind, real then sandbox. Throws a `KeychainUnavailableError` when no keychain answers. */
	secrets(kind: 'keychain' | 'file'): Promise<SecretStorePair>;
	/** Told what was moved, once per profile. */
	warn(message: string): void;
};

/**
An upgrade: profiles that an earlier lp-onboard set up with `--sandbox` in the real config.json (marked `sandbox: true`)
are moved, with their stored secrets, into the sandbox's own state, so real runs no longer see them and `--sandbox` runs
find them as before. When the sandbox already holds a profile of that name (set up since), that one is kept and the old
one dropped. Returns the names moved or dropped.
*/
export async function moveSandboxProfiles(options: MoveSandboxProfilesOptions): Promise<string[]> {
	const {profiles} = await options.real.load();
	const names = Object.keys(profiles).filter(name => profiles[name]?.sandbox === true);
	for (const name of names) {
		const {keychainItems: _items, ...old} = profiles[name]!;
		const newer = await options.sandbox.profile(name);
		if (!newer) {
			// First the profile, then its secrets: a keychain store records each item it writes in the profile.
			await options.sandbox.update(name, old);
		}

		const left = old.storage === 'env' ? [] : await moveSecrets(options, name, old.storage === 'file' ? 'file' : 'keychain', !newer);
		await options.real.removeProfile(name);
		const where = newer
			? `dropped it: the sandbox has its own profile ${name}, set up since`
			: `moved it to the sandbox's own state (${options.sandbox.file}), where --sandbox runs find it`;
		options.warn([
			`Profile ${name} in ${options.real.file} was set up on the sandbox by an earlier lp-onboard; ${where}.`,
			`Runs without --sandbox now start from a profile of their own.${left.length > 0 ? ` ${left.join(' ')}` : ''}`,
		].join(' '));
	}

	return names;
}

/**
Copies (when `keep`) and deletes every secret the real store holds for the profile; returns what could not be moved.
*/
async function moveSecrets(options: MoveSandboxProfilesOptions, profile: string, kind: 'keychain' | 'file', keep: boolean): Promise<string[]> {
	try {
		const {from, to} = await options.secrets(kind);
		for (const key of await from.list({profile})) {
			const value = await from.get(key);
			if (keep && value !== undefined) {
				await to.set(key, value);
			}

			await from.delete(key);
		}

		return [];
	} catch (error) {
		if (!(error instanceof KeychainUnavailableError)) {
			throw error;
		}

		const items = (await options.real.profile(profile))?.keychainItems ?? [];
		// Item names are `ACCOUNT_ID/NAME` in the profile; the keychain's account is `PROFILE/ACCOUNT_ID/NAME`.
		const names = items.map(item => `${profile}/${item}`).join(', ') || 'none recorded';
		return [`Its keychain items (service lp-onboard: ${names}) stay where they were: ${error.message}`];
	}
}

/**
The real stores and the sandbox's, for `moveSandboxProfiles`: the 0600 files of both, or the keychain under both
services.
*/
export function sandboxMoveStores(
	{real, sandbox}: {
		readonly real: {paths: ConfigPaths; config: ConfigStore};
		readonly sandbox: {paths: ConfigPaths; config: ConfigStore};
	},
	{env, nodePath}: {readonly env: Env; readonly nodePath: string},
): (kind: 'keychain' | 'file') => Promise<SecretStorePair> {
	return async kind => {
		if (kind === 'file') {
			const {createFileStore} = await import('../secrets/file-store.js');
			return {from: createFileStore(real.paths.credentialsFile), to: createFileStore(sandbox.paths.credentialsFile)};
		}

		const {createKeychainStore} = await import('../secrets/keytar-store.js');
		const from = await createKeychainStore({index: configSecretIndex(real.config), env, nodePath});
		const to = await createKeychainStore({
			index: configSecretIndex(sandbox.config),
			env,
			nodePath,
			service: sandboxSecretService,
		});
		return {from, to};
	};
}
