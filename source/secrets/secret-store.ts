/** The four values of a LivePerson OAuth 1.0 API key. */
export type Credentials = {
	readonly appKey: string;
	readonly appSecret: string;
	readonly accessToken: string;
	readonly accessTokenSecret: string;
};

export const credentialFields = ['appKey', 'appSecret', 'accessToken', 'accessTokenSecret'] as const;
export type CredentialField = (typeof credentialFields)[number];
export type SecretName = CredentialField | 'password';

/** The environment variable of each API key value; every command reads the key from these first. */
export const credentialEnv = {
	appKey: 'LP_APP_KEY',
	appSecret: 'LP_APP_SECRET',
	accessToken: 'LP_ACCESS_TOKEN',
	accessTokenSecret: 'LP_ACCESS_TOKEN_SECRET',
} as const satisfies Record<CredentialField, string>;

export type FoundCredential = {readonly value: string | undefined; readonly source: 'env' | SecretStore['kind'] | 'missing'};

/**
The API key of a profile, value by value: the environment variable wins (an empty one counts as unset), then the store.
`accountId` undefined means nothing stored can match, so only the environment counts.
*/
export async function findCredentials(
	env: Readonly<Record<string, string | undefined>>,
	store: SecretStore,
	{profile, accountId}: {readonly profile: string; readonly accountId: string | undefined},
): Promise<Record<CredentialField, FoundCredential>> {
	const found = {} as Record<CredentialField, FoundCredential>;
	// One at a time: a keychain answers over D-Bus, and four calls at once only compete for its 3 s timeout.
	for (const name of credentialFields) {
		const fromEnv = env[credentialEnv[name]];
		// eslint-disable-next-line no-await-in-loop
		const stored = fromEnv || accountId === undefined ? undefined : await store.get({profile, accountId, name});
		found[name] = fromEnv ? {value: fromEnv, source: 'env'} : (stored ? {value: stored, source: store.kind} : {value: undefined, source: 'missing'});
	}

	return found;
}

/**
Checks one API key value (app key, secret, token, token secret): LivePerson issues them as printable text without spaces.
A value with a space, a line break or a control character is a copy-paste accident, and signing with it fails later with a
confusing 401. The message never contains the value.
*/
export function validateCredentialValue(value: string, label: string): true | string {
	if (value === '') {
		return `The ${label} is required.`;
	}

	if (/[\s\u0000-\u001F\u007F]/.test(value)) {
		return `The ${label} contains a space, line break or control character; copy it again.`;
	}

	return value.length > 1024 ? `The ${label} is longer than 1024 characters; copy it again.` : true;
}

/** Where a store keeps values, in words for the wizard's messages. */
export const storeDescriptions: Record<SecretStore['kind'], string> = {
	keychain: 'the OS keychain',
	file: 'the 0600 credentials file (--insecure-storage)',
	memory: 'memory only, for this run (keep LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET set)',
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

export function secretAccount({profile, accountId, name}: SecretKey): string {
	return `${profile}/${accountId}/${name}`;
}

export const secretNames: readonly SecretName[] = [...credentialFields, 'password'];

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

/**
Shows enough of a secret to recognise it and no more: the first 4 characters of long values, nothing of short ones.

@example
```
redact('a1b2c3d4e5f6');
//=> 'a1b2…(12)'
```
*/
export function redact(value: string): string {
	return value.length >= 12 ? `${value.slice(0, 4)}…(${value.length})` : `…(${value.length})`;
}
