import {KeychainUnavailableError} from '../errors.js';
import {
	clientFields, credentialFields, fieldsOf, type ClientField, type CredentialField, type CredentialKind,
} from '../liveperson/credentials.js';

/**
`oauth2Token`: the cached Sentinel token of the profile's OAuth 2.0 client (JSON with its expiry), never a credential.
*/
export type SecretName = CredentialField | ClientField | 'password' | 'oauth2Token';


export type FoundCredential = {
	readonly value: string | undefined;
	/** `unavailable`: the keychain could not be read (locked, not answering); `problem` says why. */
	readonly source: 'env' | SecretStore['kind'] | 'missing' | 'unavailable';
	readonly problem?: KeychainUnavailableError;
};

/**
The API key of a profile, value by value: the environment variable wins (an empty one counts as unset), then the store.
`accountId` undefined means nothing stored can match, so only the environment counts. A keychain that cannot be read
marks the values it should have held `unavailable` (never `missing`: they may well be there), and is asked only once.
*/
export async function findCredentials<K extends CredentialKind = 'oauth1'>(
	env: Readonly<Record<string, string | undefined>>,
	store: SecretStore,
	{profile, accountId, kind}: {readonly profile: string; readonly accountId: string | undefined; readonly kind?: K},
): Promise<Record<K extends 'oauth2' ? ClientField : CredentialField, FoundCredential>> {
	const found: Record<string, FoundCredential> = {};
	let problem: KeychainUnavailableError | undefined;
	// One at a time: a keychain answers over D-Bus, and four calls at once only compete for its 3 s timeout.
	for (const {field: name, env: variable} of fieldsOf(kind ?? 'oauth1')) {
		const fromEnv = env[variable];
		let stored: string | undefined;
		if (!fromEnv && accountId !== undefined && !problem) {
			try {
				stored = await store.get({profile, accountId, name});
			} catch (error) {
				if (!(error instanceof KeychainUnavailableError)) {
					throw error;
				}

				problem = error;
			}
		}

		found[name] = fromEnv
			? {value: fromEnv, source: 'env'}
			: (stored
				? {value: stored, source: store.kind}
				: (problem && accountId !== undefined ? {value: undefined, source: 'unavailable', problem} : {value: undefined, source: 'missing'}));
	}

	return found;
}

/** Why some value of `found` could not be read, for commands that need all four: throw it rather than say "missing". */
export function unreadableCredentials(
	found: Readonly<Record<string, FoundCredential>>,
): KeychainUnavailableError | undefined {
	return Object.values(found).find(credential => credential.problem)?.problem;
}


/** Where a store keeps values, in words for the wizard's messages. */
export const storeDescriptions: Record<SecretStore['kind'], string> = {
	keychain: 'the OS keychain',
	file: 'the 0600 credentials file (--insecure-storage)',
	memory: 'memory only, for this run (keep the LP_* variables set)',
};

/** Where a value came from, as `status` reports it. */
export type SecretSource = 'flag' | 'env' | 'keychain' | 'file' | 'stdin' | 'prompt';

/**
One place for every secret. Items are keyed `PROFILE/ACCOUNT_ID/NAME` under service `lp-onboard`.
Every backend (keychain, 0600 file, memory) passes the same contract test.
*/
export type SecretStore = {
	/** Where values of this store live ('keychain' or 'file'), for `status`. */
	readonly kind: 'keychain' | 'file' | 'memory';
	get(key: SecretKey): Promise<string | undefined>;
	set(key: SecretKey, value: string): Promise<void>;
	/** Returns whether an item was removed. */
	delete(key: SecretKey): Promise<boolean>;
};

export type SecretKey = {
	readonly profile: string;
	readonly accountId: string;
	readonly name: SecretName;
};

export const secretService = 'lp-onboard';
/** The keychain service of `--sandbox` runs: their demo keys never share a name with a real profile's items. */
export const sandboxSecretService = 'lp-onboard-sandbox';

export function secretAccount({profile, accountId, name}: SecretKey): string {
	return `${profile}/${accountId}/${name}`;
}

export const secretNames: readonly SecretName[] = [...clientFields, ...credentialFields, 'password', 'oauth2Token'];

/** The reverse of `secretAccount()`; `undefined` for items that lp-onboard did not write. */
export function parseSecretAccount(account: string): SecretKey | undefined {
	const parts = account.split('/');
	if (parts.length !== 3) {
		return undefined;
	}

	const [profile = '', accountId = '', name = ''] = parts;
	return profile && accountId && (secretNames as readonly string[]).includes(name)
		? {profile, accountId, name: name as SecretName}
		: undefined;
}

/** Which stored items to list; every field left out matches all. */
export type SecretFilter = {readonly profile?: string; readonly accountId?: string};

/**
The names (never the values) of the keychain items lp-onboard wrote, kept outside the keychain (in config.json), so
nothing ever has to enumerate the keychain: keytar's `findCredentials` crashes the process on a locked gnome-keyring.
*/
export type SecretIndex = {
	/** Items recorded for `profile`, or for every profile. */
	indexed(profile?: string): Promise<SecretKey[]>;
	/** Records an item; called before it is written, so an interrupted write still leaves it findable for `logout`. */
	add(key: SecretKey): Promise<void>;
	/** Forgets an item; called after it was deleted. */
	remove(key: SecretKey): Promise<void>;
};

/**
Stands in for a keychain that could not be opened (locked, not answering) in commands that only read: every call throws
`error`, so `findCredentials` reports the values as unreadable instead of missing, and `logout` refuses instead of
forgetting a profile whose items are still in the keychain.
*/
export function createUnavailableStore(error: KeychainUnavailableError): ListableSecretStore {
	const fail = async (): Promise<never> => {
		throw error;
	};

	return {kind: 'keychain', get: fail, set: fail, delete: fail, list: fail};
}

/** A `SecretStore` that can also enumerate its items, so `logout` can remove everything a profile left behind. */
export type ListableSecretStore = SecretStore & {
	list(filter?: SecretFilter): Promise<SecretKey[]>;
};

/** Applies a `SecretFilter` to item account names, dropping names lp-onboard did not write. */
export function filterSecretAccounts(accounts: Iterable<string>, filter: SecretFilter = {}): SecretKey[] {
	const keys: SecretKey[] = [];
	for (const account of accounts) {
		const key = parseSecretAccount(account);
		if (
			key
			&& (filter.profile === undefined || key.profile === filter.profile)
			&& (filter.accountId === undefined || key.accountId === filter.accountId)
		) {
			keys.push(key);
		}
	}

	return keys.sort((a, b) => (secretAccount(a) < secretAccount(b) ? -1 : 1));
}
