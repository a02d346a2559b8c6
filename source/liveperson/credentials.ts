/**
The four values of a LivePerson OAuth 1.0 API key, in one table: the field, its environment variable, its prompt id and
its label. Every other list of them is derived from this one.
*/
const table = [
	{field: 'appKey', env: 'LP_APP_KEY', prompt: 'app-key', label: 'App key'},
	{field: 'appSecret', env: 'LP_APP_SECRET', prompt: 'app-secret', label: 'Secret'},
	{field: 'accessToken', env: 'LP_ACCESS_TOKEN', prompt: 'access-token', label: 'Access token'},
	{field: 'accessTokenSecret', env: 'LP_ACCESS_TOKEN_SECRET', prompt: 'access-token-secret', label: 'Access token secret'},
] as const;

/** The two values of an OAuth 2.0 client (client credentials grant), in the same shape. */
const clientTable = [
	{field: 'clientId', env: 'LP_CLIENT_ID', prompt: 'client-id', label: 'Client id'},
	{field: 'clientSecret', env: 'LP_CLIENT_SECRET', prompt: 'client-secret', label: 'Client secret'},
] as const;

export type CredentialField = (typeof table)[number]['field'];
/** An OAuth 1.0 API key: the legacy credentials (no new keys since 2025-09-30, end of life 2026-05-31). */
export type OAuth1Key = Readonly<Record<CredentialField, string>>;
export type ClientField = (typeof clientTable)[number]['field'];
/** An OAuth 2.0 client of an installed application: what Sentinel turns into a Bearer token. */
export type OAuth2Client = Readonly<Record<ClientField, string>>;
export type CredentialEnv = (typeof table)[number]['env'] | (typeof clientTable)[number]['env'];
export type CredentialPrompt = (typeof table)[number]['prompt'] | (typeof clientTable)[number]['prompt'];

/**
What a profile authorizes its calls with: an OAuth 2.0 client (the default) or a legacy OAuth 1.0 key. Only the
credentials port (source/liveperson/authorizer.ts) and the login body look inside; commands pass it on.
*/
export type Credentials = ({readonly kind: 'oauth2'} & OAuth2Client) | ({readonly kind: 'oauth1'} & OAuth1Key);
export type CredentialKind = Credentials['kind'];

/** The end-of-life facts of OAuth 1.0 (docs/liveperson-api.md "OAuth 2.0"), for every message that names them. */
export const oauth1EndOfLife = {noNewKeys: '2025-09-30', protocol: '2026-05-31', botLogin: '2026-04-30'} as const;

export const kindLabels: Readonly<Record<CredentialKind, string>> = {
	oauth2: 'OAuth 2.0 client credentials',
	oauth1: `OAuth 1.0 API key (legacy, end of life ${oauth1EndOfLife.protocol})`,
};

export const credentialFields: readonly CredentialField[] = table.map(row => row.field);
export const clientFields: readonly ClientField[] = clientTable.map(row => row.field);

/** The environment variable of each API key value; every command reads the key from these first. */
export const credentialEnv = Object.fromEntries(table.map(row => [row.field, row.env])) as {readonly [F in CredentialField]: Extract<(typeof table)[number], {field: F}>['env']};
export const clientEnv = Object.fromEntries(clientTable.map(row => [row.field, row.env])) as {readonly [F in ClientField]: Extract<(typeof clientTable)[number], {field: F}>['env']};

/**
The four variable names as a list for messages: "LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET".
*/
export const credentialEnvList = Object.values(credentialEnv).join(', ');
export const clientEnvList = Object.values(clientEnv).join(', ');

/** Every variable that carries a credential value, both kinds (for --stdin and the prompts). */
export const allCredentialEnv: readonly CredentialEnv[] = [
	...Object.values(clientEnv),
	...Object.values(credentialEnv),
];

/** A key as the environment variables that carry it (the sandbox's demo key given like the user's own). */
export function credentialsAsEnv(credentials: OAuth1Key): Record<string, string> {
	return Object.fromEntries(credentialFields.map(field => [credentialEnv[field], credentials[field]]));
}

/** A client as the environment variables that carry it. */
export function clientAsEnv(client: OAuth2Client): Record<string, string> {
	return Object.fromEntries(clientFields.map(field => [clientEnv[field], client[field]]));
}

export const credentialPrompts = Object.fromEntries(
	table.map(row => [row.field, row.prompt]),
) as Readonly<Record<CredentialField, CredentialPrompt>>;
export const clientPrompts = Object.fromEntries(
	clientTable.map(row => [row.field, row.prompt]),
) as Readonly<Record<ClientField, CredentialPrompt>>;

export const credentialLabels = Object.fromEntries(
	table.map(row => [row.field, row.label]),
) as Readonly<Record<CredentialField, string>>;
export const clientLabels = Object.fromEntries(
	clientTable.map(row => [row.field, row.label]),
) as Readonly<Record<ClientField, string>>;

/** The stored/env fields of a kind, in asking order. */
export function fieldsOf(kind: CredentialKind): ReadonlyArray<{
	field: CredentialField | ClientField;
	env: CredentialEnv;
	prompt: CredentialPrompt;
	label: string;
}> {
	return kind === 'oauth2' ? clientTable : table;
}

/** Builds credentials of `kind` from values by field (all present). */
export function credentialsOf(
	kind: CredentialKind,
	values: Readonly<Partial<Record<CredentialField | ClientField, string>>>,
): Credentials {
	return kind === 'oauth2'
		? {kind, clientId: values.clientId!, clientSecret: values.clientSecret!}
		: {
			kind,
			appKey: values.appKey!,
			appSecret: values.appSecret!,
			accessToken: values.accessToken!,
			accessTokenSecret: values.accessTokenSecret!,
		};
}

/** The id a bot user's `allowedAppKeys` lists and the login's `appKey` carries: the app key, or the client id. */
export function loginKeyOf(credentials: Credentials): string {
	return credentials.kind === 'oauth2' ? credentials.clientId : credentials.appKey;
}

/** Enough to recognise the credentials in a message: "client id abcd…(36)" or "app key 4c8c…(32)". */
export function describeCredentials(credentials: Credentials): string {
	return credentials.kind === 'oauth2' ? `client id ${redact(credentials.clientId)}` : `app key ${redact(credentials.appKey)}`;
}

/**
Checks one API key value (app key, secret, token, token secret): LivePerson issues them as printable text without
spaces. A value with a space, a line break or a control character is a copy-paste accident, and signing with it fails
later with a confusing 401. The message never contains the value.
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

/** What to check when LivePerson refuses a bot login: which field ties the bot to a client id is not documented. */
export function loginRefusedHint(username: string, credentials: Credentials): string {
	return credentials.kind === 'oauth2'
		? `Check the client id and secret, that the bot user ${username} lists the client id in allowedAppKeys (LivePerson does not `
			+ 'document which field ties a bot to an OAuth 2.0 client), and that the application has the client_credentials grant.'
		: `Check the four API key values, and that the bot user ${username} lists this app key in allowedAppKeys. OAuth 1.0 `
			+ `bot logins ended on ${oauth1EndOfLife.botLogin}: an account past that date needs an OAuth 2.0 client.`;
}

/**
The Users API version per auth method (docs/contract.md): 6.0, the version its current page names, with an OAuth 2.0
Bearer token; 4.0 with an OAuth 1.0 signature or a Login Service bearer, as before.
*/
export function usersApiVersion(kind: CredentialKind | 'login'): '6.0' | '4.0' {
	return kind === 'oauth2' ? '6.0' : '4.0';
}

/** The keys of a user's allowedAppKeys: comma-separated, spaces around them ignored. */
export function splitKeys(value: string | undefined): string[] {
	return (value ?? '').split(',').map(key => key.trim()).filter(key => key !== '');
}

/**
The stored login method (`api-key` or `password`) of a `--login-method` or `LP_LOGIN_METHOD` value: `credentials` is
the newer name of `api-key` (the bot logs in with the OAuth 2.0 client or the legacy key). Anything else passes as is.
*/
export function loginMethodOf<T extends string>(value: T | undefined): Exclude<T, 'credentials'> | 'api-key' | undefined {
	return value === 'credentials' ? 'api-key' : value as Exclude<T, 'credentials'> | undefined;
}
