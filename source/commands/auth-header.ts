import type {Clock} from '../clock.js';
import {MissingInputError, UsageError} from '../errors.js';
import {createOAuthSigner} from '../liveperson/oauth.js';
import type {Factory} from '../factory.js';
import {findCredentials, unreadableCredentials} from '../secrets/secret-store.js';
import {credentialEnv, credentialFields, credentialLabels, credentialsAsEnv, credentialPrompts, type Credentials, validateCredentialValue} from '../liveperson/credentials.js';
import {shellQuote} from '../system/shell.js';
import {type RunCommand, result} from './command.js';

export const authHeaderMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type AuthHeaderMethod = (typeof authHeaderMethods)[number];

export {credentialEnv} from '../liveperson/credentials.js';

export type AuthHeaderOptions = {
	readonly method: string;
	readonly url: string;
	readonly credentials: Credentials;
	/** Pins the nonce, for reproducible output. */
	readonly nonce?: string;
	/** Pins the timestamp (seconds since the epoch), for reproducible output. */
	readonly timestamp?: number;
	readonly clock?: Clock;
};

/**
One `Authorization: OAuth …` line for a request, to paste into curl or Postman. The URL must be the exact one sent (query
included), since the query is signed.

@example
```
authHeaderLine({method: 'GET', url: 'https://va.ac.liveperson.net/api/account/123/configuration/le-users/users?v=4.0', credentials});
//=> 'Authorization: OAuth oauth_consumer_key="…", oauth_nonce="…", oauth_signature="…", oauth_signature_method="HMAC-SHA1", …'
```
*/
export function authHeaderLine({method, url, credentials, nonce, timestamp, clock}: AuthHeaderOptions): string {
	const upper = method.toUpperCase();
	if (!(authHeaderMethods as readonly string[]).includes(upper)) {
		throw new UsageError(`"${method}" is not an HTTP method lp-onboard signs.`, `Use one of ${authHeaderMethods.join(', ')}.`);
	}

	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {}

	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw new UsageError(
			`"${url}" is not an absolute http(s) URL.`,
			'Pass the whole URL, query included, e.g. "https://va.ac.liveperson.net/api/account/12345678/configuration/le-users/users?v=4.0".',
		);
	}

	const sign = createOAuthSigner(credentials, clock);
	return `Authorization: ${sign({method: upper, url, nonce, timestamp})}`;
}

/**
The API key from LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET. Throws `MissingInputError` naming every one
that is unset or empty.
*/
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): Credentials {
	const missing = Object.values(credentialEnv).filter(name => !env[name]);
	if (missing.length > 0) {
		const names = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)!}`;
		throw new MissingInputError(`API key value${missing.length === 1 ? '' : 's'} ${names}`, undefined, names);
	}

	for (const name of Object.values(credentialEnv)) {
		const verdict = validateCredentialValue(env[name]!, `value in ${name}`);
		if (verdict !== true) {
			throw new UsageError(verdict, `Set ${name} to the value shown in the LivePerson console, without quotes or spaces.`);
		}
	}

	return {
		appKey: env[credentialEnv.appKey]!,
		appSecret: env[credentialEnv.appSecret]!,
		accessToken: env[credentialEnv.accessToken]!,
		accessTokenSecret: env[credentialEnv.accessTokenSecret]!,
	};
}

/**
The API key by the one route every command shares, value by value: the LP_* variable, then the profile's stored value
(for `accountId`), then the hidden prompt at a terminal. With `--sandbox --demo`, the demo account's key answers. Without a
terminal, what is still missing is a `MissingInputError` naming the variables.
*/
export async function resolveCredentials(f: Factory, accountId: string | undefined): Promise<Credentials> {
	const sandbox = f.flags.demo ? await f.sandbox() : undefined;
	const demoKey = sandbox && accountId ? (sandbox.demo.accounts as Record<string, {apiKey: Credentials} | undefined>)[accountId]?.apiKey : undefined;
	const env = demoKey ? {...f.env, ...credentialsAsEnv(demoKey)} : f.env;
	const values: Record<string, string | undefined> = Object.fromEntries(credentialFields.map(name => [credentialEnv[name], env[credentialEnv[name]] || undefined]));
	if (accountId && credentialFields.some(name => !values[credentialEnv[name]])) {
		const found = await findCredentials(env, await f.secrets({forWriting: false}), {profile: f.flags.profile, accountId});
		const unreadable = unreadableCredentials(found);
		if (unreadable) {
			throw unreadable;
		}

		for (const name of credentialFields) {
			values[credentialEnv[name]] ??= found[name].value;
		}
	}

	if (f.interactive) {
		const prompter = await f.prompter();
		for (const name of credentialFields) {
			// One at a time, as the wizard asks them.
			values[credentialEnv[name]] ??= await prompter.secret({
				id: credentialPrompts[name],
				message: credentialLabels[name],
				validate: answer => validateCredentialValue(answer.trim(), credentialLabels[name]),
			});
		}
	}

	// The same checks and the same message, naming whatever is still missing.
	return credentialsFromEnv(values);
}

/** `lp-onboard auth header METHOD URL`: one `Authorization: OAuth …` line to paste. */
export const run: RunCommand = async (f, args) => {
	const [sub, method, url, ...extra] = args;
	if (sub !== 'header' || method === undefined || url === undefined || extra.length > 0) {
		throw new UsageError('Usage: lp-onboard auth header METHOD URL', 'For example: lp-onboard auth header GET "https://va.example.liveperson.net/api/account/123/configuration/le-users/users?v=4.0"');
	}

	const credentials = await resolveCredentials(f, (await f.profile())?.accountId);
	const line = authHeaderLine({method, url, credentials, nonce: f.flags.nonce, timestamp: f.flags.timestamp});
	return result(f.flags.curl ? curlCommand(method, url, line, sandboxCa(f, url)) : line);
};

/** The TLS sandbox's CA (`lp-onboard sandbox --tls` keeps it in the state directory) for an https URL on this machine. */
function sandboxCa(f: Factory, url: string): string | undefined {
	const {protocol, hostname} = new URL(url);
	return protocol === 'https:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname) ? `${f.paths.stateDir}/sandbox-ca.pem` : undefined;
}

/**
A curl command that works as pasted. A sandbox host (`*.sandbox.test`, served by `lp-onboard sandbox` on this machine) is
connected to 127.0.0.1 the way the client does it, with curl's `--connect-to`; the TLS sandbox's CA is passed as `--cacert`.
*/
export function curlCommand(method: string, url: string, headerLine: string, caFile?: string): string {
	const {hostname} = new URL(url);
	const connect = hostname.endsWith('.sandbox.test') ? ' --connect-to ::127.0.0.1:' : '';
	const ca = caFile === undefined ? '' : ` --cacert ${shellQuote(caFile)}`;
	return `curl -sS -X ${method.toUpperCase()} -H ${shellQuote(headerLine)}${connect}${ca} ${shellQuote(url)}`;
}
