import {createHash, createHmac, timingSafeEqual} from 'node:crypto';
import type {OAuth1Key} from '../liveperson/credentials.js';
import type {SandboxRequest, SandboxResponse} from './http.js';
import type {NonceWindow} from './nonces.js';

/**
The sandbox's own OAuth 1.0 (HMAC-SHA1) verifier. It is written from OAuth Core 1.0 §9 on purpose and shares no code
with oauth-1.0a, which the client signs with, so a signing bug in the client cannot hide behind the same bug here.
*/

export type OAuthParameter = readonly [name: string, value: string];

/** RFC 3986 percent-encoding (OAuth Core 1.0 §5.1): everything except `A-Z a-z 0-9 - . _ ~`. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replaceAll(/[!'()*]/g, character => `%${character.codePointAt(0)!.toString(16).toUpperCase()}`);
}

/**
Normalised request URL (§9.1.2): lower-case scheme and host, default port dropped, no query.

@example
```
normalizeUrl('http', 'Photos.Example.net:80', '/photos');
//=> 'http://photos.example.net/photos'
```
*/
export function normalizeUrl(scheme: string, host: string, path: string): string {
	const lowerScheme = scheme.toLowerCase();
	let lowerHost = host.toLowerCase();
	if ((lowerScheme === 'http' && lowerHost.endsWith(':80')) || (lowerScheme === 'https' && lowerHost.endsWith(':443'))) {
		lowerHost = lowerHost.slice(0, lowerHost.lastIndexOf(':'));
	}

	return `${lowerScheme}://${lowerHost}${path}`;
}

/**
Signature base string (§9.1): method, normalised URL and the sorted, encoded parameters, each encoded again and joined
by `&`. `oauth_signature` is left out; so is `realm`, but only the header's, which the caller leaves out of `parameters`
(§9.1.1: a `realm` in the query or body is signed like any other parameter).
*/
export function signatureBaseString(method: string, url: string, parameters: readonly OAuthParameter[]): string {
	const normalized = parameters
		.filter(([name]) => name !== 'oauth_signature')
		.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
		.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
		.map(([name, value]) => `${name}=${value}`)
		.join('&');
	return [method.toUpperCase(), percentEncode(url), percentEncode(normalized)].join('&');
}

/** HMAC-SHA1 signature (§9.2), base64, keyed with `consumerSecret&tokenSecret`. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
	return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`).update(baseString).digest('base64');
}

/** Compares two signatures in constant time, whatever their lengths. */
export function signaturesEqual(expected: string, actual: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(expected), digest(actual)) && expected.length === actual.length;
}

/**
Parses an `Authorization: OAuth k="v", …` header into decoded parameters (§5.4.1). Returns undefined when the header is
not an OAuth header or cannot be parsed.
*/
export function parseOAuthHeader(header: string): OAuthParameter[] | undefined {
	const match = /^OAuth\s+(.*)$/is.exec(header.trim());
	if (!match) {
		return undefined;
	}

	const parameters: OAuthParameter[] = [];
	const pattern = /\s*([^\s=,]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
	const rest = match[1]!.trim();
	let consumed = 0;
	for (let part = pattern.exec(rest); part; part = pattern.exec(rest)) {
		try {
			parameters.push([decodeURIComponent(part[1]!), decodeURIComponent(part[2]!)]);
		} catch {
			return undefined;
		}

		consumed = pattern.lastIndex;
		if (consumed >= rest.length) {
			break;
		}
	}

	return consumed === rest.length ? parameters : undefined;
}

/** Query parameters as OAuth sees them (§9.1.1): form-decoded, repeated names kept. */
export function queryParameters(search: string): OAuthParameter[] {
	return [...new URLSearchParams(search)].map(([name, value]) => [name, value] as const);
}

/** How far (seconds) an `oauth_timestamp` may be from the server clock. */
export const oauthWindowSeconds = 300;

export type OAuthCheck = {
	readonly request: SandboxRequest;
	/** The parsed Authorization header. */
	readonly header: readonly OAuthParameter[];
	/** The account's API keys. */
	readonly keys: readonly OAuth1Key[];
	/** Server ms clock (skewed). */
	readonly now: number;
	/** The `consumerKey nonce`s seen in the window; updated here. */
	readonly nonces: NonceWindow;
};

/** OAuth Core 1.0 §9 verification. Returns the 401 response, or undefined when the request is authentic. */
export function verifyOAuth({request, header, keys, now, nonces}: OAuthCheck): SandboxResponse | undefined {
	const refuse = (problem: string, advice: string): SandboxResponse => ({
		status: 401,
		headers: {'content-type': 'application/x-www-form-urlencoded', 'www-authenticate': 'OAuth'},
		text: `oauth_problem=${problem}&oauth_problem_advice=${encodeURIComponent(advice)}`,
	});
	const signed = header.filter(([name]) => name !== 'realm');
	const parameters: OAuthParameter[] = [...queryParameters(request.search), ...signed];
	if (/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
		parameters.push(...queryParameters(request.body));
	}

	// Two values for one protocol parameter (two signatures, a second nonce in the query) are ambiguous: which one was
	// checked is up to the server, so an attacker could pair a valid signature with a value of their own.
	const protocolNames = parameters.map(([name]) => name).filter(name => name.startsWith('oauth_'));
	const duplicates = [...new Set(protocolNames.filter((name, index) => protocolNames.indexOf(name) !== index))];
	if (duplicates.length > 0) {
		return refuse('parameter_rejected', `duplicate ${duplicates.join(', ')}`);
	}

	const oauth = new Map(signed);
	const required = ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce'];
	const absent = required.filter(name => !oauth.get(name));
	if (absent.length > 0) {
		return refuse('parameter_absent', `missing ${absent.join(', ')}`);
	}

	const consumerKey = oauth.get('oauth_consumer_key')!;
	const key = keys.find(candidate => candidate.appKey === consumerKey);
	if (!key) {
		return refuse('consumer_key_unknown', 'the consumer key is not a key of this account');
	}

	if (oauth.get('oauth_token') !== key.accessToken) {
		return refuse('token_rejected', 'the access token does not belong to this consumer key');
	}

	if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') {
		return refuse('signature_method_rejected', 'only HMAC-SHA1 is supported');
	}

	const version = oauth.get('oauth_version');
	if (version !== undefined && version !== '1.0') {
		return refuse('version_rejected', 'only OAuth 1.0 is supported');
	}

	const timestamp = Number(oauth.get('oauth_timestamp'));
	const serverSeconds = now / 1000;
	if (!/^\d+$/.test(oauth.get('oauth_timestamp')!) || Math.abs(serverSeconds - timestamp) > oauthWindowSeconds) {
		return refuse('timestamp_refused', `the timestamp is more than ${oauthWindowSeconds} s away from the server time ${Math.floor(serverSeconds)}`);
	}

	// The URL the client signed is the one it called: https on the TLS server (lpf's toolbelt `LpClient.js` signs the
	// https URL), http on the plain one.
	const url = normalizeUrl(request.scheme, request.headers.host ?? '', request.pathname);
	const expected = hmacSha1Signature(
		signatureBaseString(request.method, url, parameters),
		key.appSecret,
		key.accessTokenSecret,
	);
	if (!signaturesEqual(expected, oauth.get('oauth_signature')!)) {
		return refuse('signature_invalid', 'the oauth_signature is invalid');
	}

	// Once its timestamp is out of the window the timestamp check refuses a replay, so the nonce can go then.
	const nonceKey = `${consumerKey} ${oauth.get('oauth_nonce')!}`;
	const seen = nonces.remember(nonceKey, ((timestamp + oauthWindowSeconds) * 1000) + 1, now);
	if (seen === 'replay') {
		return refuse('nonce_used', 'the nonce was used before');
	}

	if (seen === 'full') {
		return {...refuse('temporarily_unavailable', 'the sandbox remembers too many nonces; retry in a few seconds'), status: 503};
	}

	return undefined;
}

function compare(a: string, b: string): number {
	if (a < b) {
		return -1;
	}

	return a > b ? 1 : 0;
}
