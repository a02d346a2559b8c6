import {type Clock, systemClock} from '../clock.js';
import type {CredentialKind, Credentials, OAuth1Key, OAuth2Client} from './credentials.js';
import {createOAuthSigner, type SignableRequest} from './oauth.js';

/**
What an Authorization header is made for: the exact request (OAuth 1.0 signs the method, the URL and its query; `nonce`
and `timestamp` pin its random parts for reproducible output). A Bearer token ignores all of it.
*/
export type AuthorizeRequest = SignableRequest;

/** A Sentinel access token and when it expires (epoch ms). */
export type AccessToken = {readonly accessToken: string; readonly expiresAt: number};

/**
The credentials port: the one thing that authorizes a request. Commands and steps hand it to the client and never look
at which kind of credentials is behind it. OAuth 1.0 signs each request; OAuth 2.0 sends a Sentinel Bearer token, cached
and renewed before it expires.
*/
export type Authorizer = {
	readonly kind: CredentialKind;
	/** The `Authorization` header value for one request (`OAuth …` or `Bearer …`). */
	authorize(request: AuthorizeRequest, options?: {signal?: AbortSignal}): Promise<string>;
	/**
	Called once after a 401: forgets a cached token so the next `authorize` asks Sentinel again. True when that may help (a
	token was cached), false when a retry would send the same thing (an OAuth 1.0 key, a token fetched for this very call).
	*/
	invalidate(): Promise<boolean>;
	/** The current Bearer token (fetched if needed); undefined for an OAuth 1.0 key, which has none. */
	token(options?: {signal?: AbortSignal}): Promise<AccessToken | undefined>;
};

/** Asks Sentinel for a token (source/liveperson/sentinel.ts); `expiresIn` in seconds. */
export type TokenSource = (
	client: OAuth2Client,
	options: {signal?: AbortSignal},
) => Promise<{accessToken: string; expiresIn: number}>;

/** Where a token outlives one process: the profile's secret store (keychain, or the 0600 file the user chose). */
export type TokenCache = {
	get(): Promise<string | undefined>;
	set(value: string): Promise<void>;
	clear(): Promise<void>;
};

/** LivePerson's Functions toolbelt renews a token 60 s before it expires (docs/contract.md "Sentinel"). */
export const renewBeforeMs = 60_000;

export function oauth1Authorizer(key: OAuth1Key, clock: Clock = systemClock): Authorizer {
	const sign = createOAuthSigner(key, clock);
	return {
		kind: 'oauth1',
		authorize: async request => sign(request),
		invalidate: async () => false,
		token: async () => undefined,
	};
}

export type OAuth2AuthorizerOptions = {
	readonly client: OAuth2Client;
	readonly fetchToken: TokenSource;
	readonly cache?: TokenCache;
	readonly clock?: Clock;
};

/**
Bearer tokens for an OAuth 2.0 client: from memory, else the cache (when it holds a token of this client that does not
expire within `renewBeforeMs`), else Sentinel. Calls at the same time share one Sentinel request. A cache that fails is
skipped: the token is then only in memory.
*/
export function oauth2Authorizer({
	client,
	fetchToken,
	cache,
	clock = systemClock,
}: OAuth2AuthorizerOptions): Authorizer {
	let current: AccessToken | undefined;
	let fetchedNow = false;
	let pending: Promise<AccessToken> | undefined;
	let cacheRead = false;
	const fresh = (token: AccessToken | undefined): token is AccessToken =>
		token !== undefined && token.expiresAt - renewBeforeMs > clock.now();

	const fromCache = async (): Promise<AccessToken | undefined> => {
		if (!cache || cacheRead) {
			return undefined;
		}

		cacheRead = true;
		const parsed = parseCachedToken(await cache.get().catch(() => undefined), client.clientId);
		return fresh(parsed) ? parsed : undefined;
	};

	const renew = async (signal: AbortSignal | undefined): Promise<AccessToken> => {
		const {accessToken, expiresIn} = await fetchToken(client, {signal});
		const token = {accessToken, expiresAt: clock.now() + (expiresIn * 1000)};
		await cache?.set(JSON.stringify({clientId: client.clientId, ...token})).catch(() => undefined);
		return token;
	};

	const token = async ({signal}: {signal?: AbortSignal} = {}): Promise<AccessToken> => {
		if (fresh(current)) {
			return current;
		}

		pending ??= (async () => {
			const cached = await fromCache();
			fetchedNow = !cached;
			return cached ?? renew(signal);
		})().finally(() => {
			pending = undefined;
		});
		current = await pending;
		return current;
	};

	return {
		kind: 'oauth2',
		authorize: async (_request, options) => `Bearer ${(await token(options)).accessToken}`,
		async invalidate() {
			const mayHelp = current !== undefined && !fetchedNow;
			current = undefined;
			cacheRead = true;
			await cache?.clear().catch(() => undefined);
			fetchedNow = false;
			return mayHelp;
		},
		token,
	};
}

function parseCachedToken(text: string | undefined, clientId: string): AccessToken | undefined {
	if (!text) {
		return undefined;
	}

	try {
		const value = JSON.parse(text) as {clientId?: unknown; accessToken?: unknown; expiresAt?: unknown};
		return value.clientId === clientId && typeof value.accessToken === 'string' && typeof value.expiresAt === 'number'
			? {accessToken: value.accessToken, expiresAt: value.expiresAt}
			: undefined;
	} catch {
		return undefined;
	}
}

/** The port for `credentials`: the OAuth 1.0 signer, or the OAuth 2.0 token keeper over `fetchToken` and `cache`. */
export function createAuthorizer(
	credentials: Credentials,
	{fetchToken, cache, clock = systemClock}: {fetchToken: TokenSource; cache?: TokenCache; clock?: Clock},
): Authorizer {
	return credentials.kind === 'oauth1'
		? oauth1Authorizer(credentials, clock)
		: oauth2Authorizer({
			client: {clientId: credentials.clientId, clientSecret: credentials.clientSecret},
			fetchToken,
			cache,
			clock,
		});
}

/** The claims of a JWT, decoded and NOT verified: for showing its expiry and scopes, never for trusting them. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
	const payload = token.split('.')[1];
	if (token.split('.').length !== 3 || !payload) {
		return undefined;
	}

	try {
		const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}
