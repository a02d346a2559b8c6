import type {ConfigPaths} from '../config/paths.js';
import type {ConfigStore} from '../config/config-store.js';
import type {Env} from '../environment.js';
import {KeychainUnavailableError} from '../errors.js';
import type {Prompter} from '../prompts/prompter.js';
import type {Ui} from '../ui/ui.js';
import {createUnavailableStore, sandboxSecretService, secretService, type ListableSecretStore} from './secret-store.js';
import {clientEnv, credentialEnv} from '../liveperson/credentials.js';

export type OpenStoreOptions = {
	readonly profile: string;
	readonly env: Env;
	/** The Node.js binary the keychain helper process runs on. */
	readonly nodePath: string;
	readonly paths: ConfigPaths;
	readonly config: ConfigStore;
	readonly ui: Ui;
	/** `--insecure-storage`: the user chose the 0600 file. */
	readonly insecureStorage: boolean;
	/** The wizard stores a key; every other command only reads. */
	readonly forWriting: boolean;
	/** The run is on the embedded sandbox, whose key is a demo value. */
	readonly sandbox?: boolean;
	/** Asks where to keep the key when no keychain answers; absent without a terminal. */
	readonly prompter?: Prompter;
};

/**
The secret store for this run: the OS keychain, unless the user chose the 0600 file (`--insecure-storage`, remembered
per profile). With no keychain, reading commands carry on with an empty store (env vars still work) and say so; the
wizard asks at a terminal (env vars only, or the file) and fails with the fix otherwise. Never a silent fallback.
*/
export async function openSecretStore(options: OpenStoreOptions): Promise<ListableSecretStore> {
	const {profile: profileName, env, paths, config, ui, insecureStorage, forWriting, prompter} = options;
	const profile = await config.profile(profileName);
	const fileStore = async () => (await import('./file-store.js')).createFileStore(paths.credentialsFile, {warn: message => {
		ui.warn(message);
	}});
	const memoryStore = async () => (await import('./memory-store.js')).createMemoryStore();
	if (insecureStorage || profile?.storage === 'file') {
		if (insecureStorage && profile?.storage !== 'file' && forWriting) {
			await config.update(profileName, {storage: 'file'});
		}

		return fileStore();
	}

	try {
		const [{createKeychainStore}, {configSecretIndex}] = await Promise.all([import('./keytar-store.js'), import('../config/config-store.js')]);
		const service = options.sandbox ? sandboxSecretService : secretService;
		return await createKeychainStore({index: configSecretIndex(config), env, nodePath: options.nodePath, service});
	} catch (error) {
		if (!(error instanceof KeychainUnavailableError)) {
			throw error;
		}

		// Either kind complete in the environment: the OAuth 2.0 client (the default) or the legacy key.
		const keyInEnv = [clientEnv, credentialEnv].some(names => Object.values(names).every(name => env[name]));
		if (!forWriting || profile?.storage === 'env' || keyInEnv) {
			ui.warn(`${error.message} Using only the LP_* environment variables; nothing is stored.`);
			// Reading commands say which values the keychain could not give, instead of calling them missing.
			return forWriting || profile?.storage === 'env' ? memoryStore() : createUnavailableStore(error);
		}

		// Without a terminal there is no one to choose: the error's hint names both ways out.
		if (!prompter) {
			throw error;
		}

		ui.warn(`${error.message}\n${error.hint ?? ''}`);
		const choice = await prompter.select({
			id: 'storage',
			message: 'Where should the credentials go?',
			choices: [
				// Short names; the detail (long names, a path) in the description, which the prompter wraps between words.
				{value: 'env', name: 'Nowhere: I will set the values myself', description: `Set ${Object.values(clientEnv).join(' and ')} (a legacy key: ${Object.values(credentialEnv).join(', ')}) in the environment, or pipe them as KEY=VALUE lines with --stdin.`},
				{value: 'file', name: 'A file only I can read (0600, not encrypted)', description: `The file ${paths.credentialsFile}`},
				{value: 'cancel', name: 'Cancel, I will set up a keychain first'},
			],
			// The sandbox's key is a demo value: keeping it in the 0600 file lets the next steps run as pasted.
			...(options.sandbox ? {default: 'file' as const} : {}),
		});
		if (choice === 'cancel') {
			throw error;
		}

		await config.update(profileName, {storage: choice});
		return choice === 'file' ? fileStore() : memoryStore();
	}
}
