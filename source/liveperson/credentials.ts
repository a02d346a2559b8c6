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

export type CredentialField = (typeof table)[number]['field'];
export type Credentials = Readonly<Record<CredentialField, string>>;
export type CredentialEnv = (typeof table)[number]['env'];
export type CredentialPrompt = (typeof table)[number]['prompt'];

export const credentialFields: readonly CredentialField[] = table.map(row => row.field);

/** The environment variable of each API key value; every command reads the key from these first. */
export const credentialEnv = Object.fromEntries(table.map(row => [row.field, row.env])) as {readonly [F in CredentialField]: Extract<(typeof table)[number], {field: F}>['env']};

/** The four variable names as a list for messages: "LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET". */
export const credentialEnvList = Object.values(credentialEnv).join(', ');

/** A key as the environment variables that carry it (the sandbox's demo key given like the user's own). */
export function credentialsAsEnv(credentials: Credentials): Record<CredentialEnv, string> {
	return Object.fromEntries(credentialFields.map(field => [credentialEnv[field], credentials[field]])) as Record<CredentialEnv, string>;
}

export const credentialPrompts = Object.fromEntries(table.map(row => [row.field, row.prompt])) as Readonly<Record<CredentialField, CredentialPrompt>>;

export const credentialLabels = Object.fromEntries(table.map(row => [row.field, row.label])) as Readonly<Record<CredentialField, string>>;

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
