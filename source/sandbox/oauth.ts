import {createHash, createHmac, timingSafeEqual} from 'node:crypto';

/**
The sandbox's own OAuth 1.0 (HMAC-SHA1) verifier. It is written from OAuth Core 1.0 §9 on purpose and shares no code with
oauth-1.0a, which the client signs with, so a signing bug in the client cannot hide behind the same bug here.
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

/** Signature base string (§9.1): method, normalised URL and the sorted, encoded parameters, each encoded again and joined by `&`. */
export function signatureBaseString(method: string, url: string, parameters: readonly OAuthParameter[]): string {
	const normalized = parameters
		.filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
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
Parses an `Authorization: OAuth k="v", …` header into decoded parameters (§5.4.1). Returns undefined when the header is not
an OAuth header or cannot be parsed.
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

function compare(a: string, b: string): number {
	if (a < b) {
		return -1;
	}

	return a > b ? 1 : 0;
}
