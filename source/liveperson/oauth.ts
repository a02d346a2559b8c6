import {createHmac} from 'node:crypto';
import OAuth from 'oauth-1.0a';
import {type Clock, systemClock} from '../clock.js';
import {type OAuth1Key, redact} from './credentials.js';

/** What a signature covers. `nonce` and `timestamp` (seconds) pin the otherwise random parts, for tests and replays. */
export type SignableRequest = {
	readonly method: string;
	readonly url: string;
	readonly nonce?: string;
	readonly timestamp?: number;
};

/** Returns the full `Authorization` header value (`OAuth oauth_consumer_key="…", …`) for one request. */
export type OAuthSigner = (request: SignableRequest) => string;

/**
Percent-encodes per RFC 3986 §2.1 as OAuth requires (RFC 5849 §3.6): everything but `A-Z a-z 0-9 - . _ ~`, as UTF-8,
upper-case hex.
*/
export function oauthPercentEncode(value: string): string {
	return encodeURIComponent(value).replaceAll(/[!'()*]/g, character => `%${character.codePointAt(0)!.toString(16).toUpperCase()}`);
}

/**
The base string URI of RFC 5849 §3.4.1.2: lower-case scheme and host, the port only when it is not the scheme's default,
the path, no query and no fragment. WHATWG `URL` does the normalising (it drops `:80` on http and `:443` on https).
*/
export function baseStringUri(url: URL): string {
	const port = url.port === '' ? '' : `:${url.port}`;
	return `${url.protocol}//${url.hostname}${port}${url.pathname}`;
}

/**
The signature base string of RFC 5849 §3.4.1. oauth-1.0a builds it wrongly for some URLs (it keeps default ports and
upper-case hosts, cuts values at a second `=`, drops an empty value when its key repeats, does not decode keys or `+`),
so it is built here and handed to oauth-1.0a, which does the rest (parameters, signing key, header).
*/
export function signatureBaseString(
	method: string,
	url: string,
	oauthParameters: Readonly<Record<string, string | number>>,
): string {
	const parsed = new URL(url);
	// Application/x-www-form-urlencoded decoding of the query, as §3.4.1.3.1 says; keeps repeated keys and empty values.
	const pairs: Array<[string, string]> = [...parsed.searchParams];
	for (const [key, value] of Object.entries(oauthParameters)) {
		if (key !== 'oauth_signature') {
			pairs.push([key, String(value)]);
		}
	}

	const encoded = pairs.map(([key, value]) => [oauthPercentEncode(key), oauthPercentEncode(value)] as const);
	// Encoded strings are ASCII, so comparing code units is the byte order §3.4.1.3.2 asks for.
	encoded.sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB));
	const parameters = encoded.map(([key, value]) => `${key}=${value}`).join('&');
	return [method.toUpperCase(), oauthPercentEncode(baseStringUri(parsed)), oauthPercentEncode(parameters)].join('&');
}

function compare(a: string, b: string): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}

/**
Signs LivePerson API calls with an OAuth 1.0 API key (HMAC-SHA1, query parameters signed, no body hash), as the
LivePerson docs describe (OAuth Core 1.0 §9). Nonce and timestamp come from the clock unless the request pins them.

@example
```
const sign = createOAuthSigner(credentials);
sign({method: 'GET', url: 'https://va.ac.liveperson.net/api/account/123/configuration/le-users/users?v=4.0'});
//=> 'OAuth oauth_consumer_key="…", oauth_nonce="…", oauth_signature="…", …'
```
*/
export function createOAuthSigner(credentials: OAuth1Key, clock: Clock = systemClock): OAuthSigner {
	const token = {key: credentials.accessToken, secret: credentials.accessTokenSecret};
	return request => {
		const oauth = new OAuth({
			consumer: {key: credentials.appKey, secret: credentials.appSecret},
			signature_method: 'HMAC-SHA1',
			hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
		});
		const nonce = request.nonce ?? clock.nonce();
		const timestamp = request.timestamp ?? Math.floor(clock.now() / 1000);
		oauth.getNonce = () => nonce;
		oauth.getTimeStamp = () => timestamp;
		oauth.getBaseString = (_request, oauthData) => signatureBaseString(
			request.method,
			request.url,
			oauthData as unknown as Record<string, string | number>,
		);
		const data = oauth.authorize({method: request.method.toUpperCase(), url: request.url}, token);
		return oauth.toHeader(data).Authorization;
	};
}

/**
Masks the key, token and signature of an `OAuth …` header value (or the token of a `Bearer …` one) so the header can be
shown. Accepts the bare value or a whole `Authorization: …` line.
*/
export function redactAuthorization(header: string): string {
	return header
		.replaceAll(/\b(oauth_signature|oauth_consumer_key|oauth_token)="([^"]*)"/g, (_match, key: string, value: string) => `${key}="${redact(value)}"`)
		.replace(/\bBearer\s+(\S+)/, (_match, value: string) => `Bearer ${redact(value)}`);
}
