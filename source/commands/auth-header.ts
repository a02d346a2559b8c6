import {UsageError} from '../errors.js';
import type {Factory} from '../factory.js';
import type {Authorizer} from '../liveperson/authorizer.js';
import {shellQuote} from '../system/shell.js';
import {type RunCommand, result} from './command.js';
import {createCredentialHosts, credentialsRefused} from '../liveperson/hosts.js';
import {accountDomains, pathUrl} from './shared/account.js';
import {authorizerFor, resolveCredentials} from './shared/credentials.js';

export const authHeaderMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type AuthHeaderMethod = (typeof authHeaderMethods)[number];

export type AuthHeaderOptions = {
	readonly method: string;
	readonly url: string;
	readonly authorizer: Authorizer;
	/** Pins the nonce of an OAuth 1.0 signature, for reproducible output. */
	readonly nonce?: string;
	/** Pins the timestamp (seconds since the epoch) of an OAuth 1.0 signature, for reproducible output. */
	readonly timestamp?: number;
};

/** Throws a `UsageError` unless `method` is one lp-onboard authorizes. */
function checkMethod(method: string): AuthHeaderMethod {
	const upper = method.toUpperCase();
	if (!(authHeaderMethods as readonly string[]).includes(upper)) {
		throw new UsageError(`"${method}" is not an HTTP method lp-onboard signs.`, `Use one of ${authHeaderMethods.join(', ')}.`);
	}

	return upper as AuthHeaderMethod;
}

/** Throws a `UsageError` unless `method` is one lp-onboard authorizes and `url` is an absolute http(s) URL. */
export function checkRequest(method: string, url: string): AuthHeaderMethod {
	const upper = checkMethod(method);

	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {}

	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw new UsageError(
			`"${url}" is not an absolute http(s) URL.`,
			'Pass the whole URL, query included, e.g. "https://va.ac.liveperson.net/api/account/12345678/configuration/le-users/users?v=6.0", or a path starting with /.',
		);
	}

	return upper;
}

/**
One `Authorization: …` line for a request, to paste into curl or Postman: `Bearer …` for an OAuth 2.0 client, `OAuth …`
for a legacy OAuth 1.0 key. With a key the URL must be the exact one sent (query included), since the query is signed.

@example
```
await authHeaderLine({method: 'GET', url: 'https://va.ac.liveperson.net/api/account/123/configuration/le-users/users?v=4.0', authorizer});
//=> 'Authorization: OAuth oauth_consumer_key="…", oauth_nonce="…", oauth_signature="…",
//   oauth_signature_method="HMAC-SHA1", …'
```
*/
export async function authHeaderLine({method, url, authorizer, nonce, timestamp}: AuthHeaderOptions): Promise<string> {
	const upper = checkRequest(method, url);
	return `Authorization: ${await authorizer.authorize({method: upper, url, nonce, timestamp})}`;
}

const usage = new UsageError(
	'Usage: lp-onboard auth header METHOD URL (or PATH), or lp-onboard auth token',
	'For example: lp-onboard auth header GET "https://va.example.liveperson.net/api/account/123/configuration/le-users/users?v=6.0"',
);

/**
`lp-onboard auth header METHOD URL|PATH`: one `Authorization: …` line to paste (or, with --curl, a whole curl command).
`lp-onboard auth token`: the profile's current OAuth 2.0 access token, like `gh auth token`.
*/
export const run: RunCommand = async (f, args) => {
	const [sub, method, given, ...extra] = args;
	const token = sub === 'token' && method === undefined;
	if (!token && (sub !== 'header' || method === undefined || given === undefined || extra.length > 0)) {
		throw usage;
	}

	// A path, as `api` takes it, goes to the host CSDS lists for its service.
	const path = !token && given!.startsWith('/');
	if (!token && !path) {
		checkRequest(method!, given!);
	}

	const accountId = f.flags.account ?? f.env['LP_ACCOUNT_ID'] ?? (await f.profile())?.accountId;
	if (path && !accountId) {
		throw new UsageError(`${given!} is a path: which account's hosts serve it?`, 'Pass --account (LP_ACCOUNT_ID), or the whole URL.');
	}

	// HEAD reads as GET does.
	const upper = path ? checkMethod(method!) : undefined;
	const url = path ? (await pathUrl(f, accountId!, given!, upper === 'HEAD' ? 'GET' : upper!)).url : given;
	const credentials = await resolveCredentials(f, accountId);
	if (!accountId && credentials.kind === 'oauth2') {
		throw new UsageError('An OAuth 2.0 token is issued for one account: which one?', 'Pass --account (LP_ACCOUNT_ID), or run lp-onboard first.');
	}

	if (!token && credentials.kind === 'oauth2') {
		await checkBearerHost(f, accountId!, url!);
	}

	const authorizer = await authorizerFor(f, accountId ?? '', credentials);
	if (token) {
		const current = await authorizer.token({signal: f.signal});
		if (!current) {
			throw new UsageError(
				'This profile holds an OAuth 1.0 API key, which has no token: each request is signed on its own.',
				'Use lp-onboard auth header METHOD URL, or switch to OAuth 2.0 client credentials: lp-onboard --auth-method oauth2.',
			);
		}

		return result(
			current.accessToken,
			{accessToken: current.accessToken, expiresAt: new Date(current.expiresAt).toISOString()},
		);
	}

	const line = await authHeaderLine({
		method: method!,
		url: url!,
		authorizer,
		nonce: f.flags.nonce,
		timestamp: f.flags.timestamp,
	});
	if (f.flags.curl && f.flags.sandbox) {
		// The in-process sandbox ends with this command: a pasted curl would find nobody listening.
		(await f.ui()).warn(
			'The --sandbox sandbox stops when this command ends, so this curl has nothing to reach. For a curl to paste, run '
			+ '`lp-onboard sandbox` in another terminal and pass --csds-url with the URL it prints.',
		);
	}

	return result(f.flags.curl ? curlCommand(method!, url!, line, sandboxCa(f, url!)) : line);
};

/**
A Bearer token works for any request of the account, wherever it is pasted: it is printed only for a URL on one of the
account's hosts (CSDS) or one named with --send-credentials-to, the hosts `api` sends it to. (An OAuth 1.0 signature
is bound to its method and URL and cannot be replayed for another request; it is printed for any URL, as the Getting
Started page's signing example does.)
*/
async function checkBearerHost(f: Factory, accountId: string, url: string): Promise<void> {
	const target = new URL(url);
	const hosts = createCredentialHosts(f.flags.sendCredentialsTo);
	const domains = hosts.allows(target) ? [] : Object.values(await accountDomains(f, accountId));
	hosts.trust(domains);
	// The in-process sandbox listens on a new port each run: its names (this machine only) match whatever the port.
	const sandboxName = f.flags.sandbox && target.hostname.endsWith('.sandbox.test')
		&& domains.some(host => host.split(':')[0] === target.hostname);
	const refused = credentialsRefused(hosts, target);
	if (refused === 'host' && !sandboxName) {
		throw new UsageError(
			`Refusing to print a Bearer token for ${target.host}: it is not one of the account's LivePerson hosts (CSDS).`,
			`Use a URL on a host \`lp-onboard domains\` lists. If you trust ${target.host}, pass --send-credentials-to ${target.host}.`,
		);
	}

	if (refused === 'plain-http') {
		throw new UsageError(
			`Refusing to print a Bearer token for plain http to ${target.host}.`,
			'Use an https URL; plain http is only for the sandbox (this machine, *.test names).',
		);
	}
}

/**
The TLS sandbox's CA (`lp-onboard sandbox --tls` keeps it in the state directory) for an https URL on this machine.
*/
function sandboxCa(f: Factory, url: string): string | undefined {
	const {protocol, hostname} = new URL(url);
	return protocol === 'https:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname) ? `${f.paths.stateDir}/sandbox-ca.pem` : undefined;
}

/**
A curl command that works as pasted. A sandbox host (`*.sandbox.test`, served by `lp-onboard sandbox` on this machine)
is connected to 127.0.0.1 the way the client does it, with curl's `--connect-to`; the TLS sandbox's CA is passed as
`--cacert`.
*/
export function curlCommand(method: string, url: string, headerLine: string, caFile?: string): string {
	const {hostname} = new URL(url);
	const connect = hostname.endsWith('.sandbox.test') ? ' --connect-to ::127.0.0.1:' : '';
	const ca = caFile === undefined ? '' : ` --cacert ${shellQuote(caFile)}`;
	return `curl -sS -X ${method.toUpperCase()} -H ${shellQuote(headerLine)}${connect}${ca} ${shellQuote(url)}`;
}
