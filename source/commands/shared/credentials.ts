import {MissingInputError, UsageError} from '../../errors.js';
import type {Factory} from '../../factory.js';
import type {ProfileConfig} from '../../config/config-store.js';
import {createAuthorizer, type Authorizer} from '../../liveperson/authorizer.js';
import {
	clientAsEnv, clientEnv, credentialEnv, credentialsAsEnv, credentialsOf, fieldsOf, validateCredentialValue,
	type CredentialKind, type Credentials,
} from '../../liveperson/credentials.js';
import {findCredentials, unreadableCredentials, type FoundCredential} from '../../secrets/secret-store.js';
import {secretTokenCache} from '../../secrets/token-cache.js';
import {accountDomains} from './account.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
Which kind of credentials a profile uses, by the one route: values in the environment (LP_CLIENT_* for OAuth 2.0,
LP_APP_* and LP_ACCESS_* for OAuth 1.0), then what the profile recorded, then OAuth 2.0. A profile the wizard finished
before it recorded a kind holds an OAuth 1.0 key (the only kind there was).
*/
export function credentialKind(env: Env, profile: ProfileConfig | undefined): CredentialKind {
	if (Object.values(clientEnv).some(name => env[name])) {
		return 'oauth2';
	}

	if (Object.values(credentialEnv).some(name => env[name])) {
		return 'oauth1';
	}

	return profile?.credentials ?? (profile?.completedSteps?.includes('api-key') ? 'oauth1' : 'oauth2');
}

/**
The profile's kind and its values, found by the one route. A profile that recorded no kind and whose environment names
none (set up by hand, or before kinds were recorded) holds whichever kind is stored: OAuth 2.0 first, else an OAuth 1.0
key.
*/
export async function findProfileCredentials(
	env: Env,
	store: Parameters<typeof findCredentials>[1],
	{profile, accountId, state}: {profile: string; accountId: string | undefined; state: ProfileConfig | undefined},
): Promise<{kind: CredentialKind; found: Record<string, FoundCredential>}> {
	const kind = credentialKind(env, state);
	const found: Record<string, FoundCredential> = await findCredentials(env, store, {profile, accountId, kind});
	const undecided = !state?.credentials && !state?.completedSteps?.includes('api-key') && kind === 'oauth2'
		&& Object.values(found).every(value => value.source === 'missing');
	if (undecided && accountId !== undefined) {
		const legacy: Record<string, FoundCredential> = await findCredentials(env, store, {profile, accountId, kind: 'oauth1'});
		if (Object.values(legacy).some(value => value.source !== 'missing')) {
			return {kind: 'oauth1', found: legacy};
		}
	}

	return {kind, found};
}

/**
Credentials of `kind` from their environment variables (or values laid over them). Throws `MissingInputError` naming
every variable that is unset or empty, and a `UsageError` naming the variable (never the value) that holds a pasting
accident.
*/
export function credentialsFromEnv(env: Env, kind: CredentialKind = 'oauth1'): Credentials {
	const rows = fieldsOf(kind);
	const missing = rows.map(row => row.env).filter(name => !env[name]);
	if (missing.length > 0) {
		const names = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)!}`;
		const what = kind === 'oauth2' ? 'OAuth 2.0 client value' : 'API key value';
		throw new MissingInputError(`${what}${missing.length === 1 ? '' : 's'} ${names}`, undefined, names);
	}

	for (const {env: name} of rows) {
		const verdict = validateCredentialValue(env[name]!, `value in ${name}`);
		if (verdict !== true) {
			throw new UsageError(verdict, `Set ${name} to the value shown in the LivePerson console, without quotes or spaces.`);
		}
	}

	return credentialsOf(kind, Object.fromEntries(rows.map(({field, env: name}) => [field, env[name]!])));
}

/** With `--sandbox --demo`, the demo account's values of `kind` as environment variables. */
async function demoEnv(
	f: Factory,
	accountId: string | undefined,
	kind: CredentialKind,
): Promise<Record<string, string>> {
	const sandbox = f.flags.demo ? await f.sandbox() : undefined;
	const demo = sandbox && accountId
		? Object.values(sandbox.demo.accounts).find(account => account.accountId === accountId)
		: undefined;
	if (!demo) {
		return {};
	}

	return kind === 'oauth2' ? clientAsEnv(demo.client) : credentialsAsEnv(demo.apiKey);
}

/**
The profile's credentials by the one route every command shares, value by value: the environment variable, then the
profile's stored value (for `accountId`), then the hidden prompt at a terminal. With `--sandbox --demo`, the demo
account's values answer. Without a terminal, what is still missing is a `MissingInputError` naming the variables.
*/
export async function resolveCredentials(f: Factory, accountId: string | undefined): Promise<Credentials> {
	const profile = await f.profile();
	let kind = credentialKind(f.env, profile);
	const env = {...f.env, ...await demoEnv(f, accountId, kind)};
	let rows = fieldsOf(kind);
	const values: Record<string, string | undefined> = Object.fromEntries(
		rows.map(({env: name}) => [name, env[name] || undefined]),
	);
	if (accountId && rows.some(({env: name}) => !values[name])) {
		const stored = await findProfileCredentials(
			env,
			await f.secrets({forWriting: false}),
			{profile: f.flags.profile, accountId, state: profile},
		);
		const {found} = stored;
		if (stored.kind !== kind) {
			kind = stored.kind;
			rows = fieldsOf(kind);
		}

		const unreadable = unreadableCredentials(found);
		if (unreadable) {
			throw unreadable;
		}

		for (const {field, env: name} of rows) {
			values[name] ??= found[field]?.value;
		}
	}

	if (f.io.canPrompt) {
		const prompter = await f.prompter();
		for (const {env: name, prompt, label} of rows) {
			// One at a time, as the wizard asks them.
			values[name] ??= await prompter.secret({
				id: prompt,
				message: label,
				validate: answer => validateCredentialValue(answer.trim(), label),
			});
		}
	}

	// The same checks and the same message, naming whatever is still missing.
	return credentialsFromEnv(values, kind);
}

/**
The credentials port for a command: signs with the OAuth 1.0 key, or sends the OAuth 2.0 client's Sentinel token, cached
in the profile's secret store (the token belongs to the account: Sentinel is asked on the account's own `sentinel`
host).
*/
export async function authorizerFor(f: Factory, accountId: string, credentials: Credentials): Promise<Authorizer> {
	const api = await f.api();
	const store = credentials.kind === 'oauth2' ? await f.secrets({forWriting: false}) : undefined;
	return createAuthorizer(credentials, {
		clock: f.clock,
		fetchToken: async (client, {signal}) => api.token(
			accountId,
			await accountDomains(f, accountId),
			client,
			{signal: signal ?? f.signal},
		),
		...(store ? {cache: secretTokenCache(store, {profile: f.flags.profile, accountId})} : {}),
	});
}
