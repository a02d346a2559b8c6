import {createSign, createVerify} from 'node:crypto';
import {isRecord, lpError, safeDecode, type Engine, type SandboxRequest, type SandboxResponse} from './http.js';
import type {AccountState} from './state.js';

/** The sandbox's token lifetime: what the sample tokens of LivePerson's pages show (`exp − iat` = 3600 s). */
export const tokenLifetimeSeconds = 3600;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs `claims` as an RS256 JWT with the engine's key. */
export function signJwt(engine: Engine, claims: Record<string, unknown>): string {
	const header = base64url(JSON.stringify({alg: 'RS256', typ: 'JWT', kid: engine.sentinelKey.kid}));
	const payload = base64url(JSON.stringify(claims));
	const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(engine.sentinelKey.privateKey);
	return `${header}.${payload}.${base64url(signature)}`;
}

export type TokenClaims = {
	readonly accountId: string;
	readonly clientId: string;
	readonly scopes: readonly string[];
	readonly exp: number;
};

/** The claims of a token this sandbox signed and that has not expired (by the unskewed clock), or undefined. */
export function verifyJwt(engine: Engine, token: string): TokenClaims | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) {
		return undefined;
	}

	const [header, payload, signature] = parts as [string, string, string];
	try {
		const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
		if (!isRecord(head) || head['alg'] !== 'RS256' || head['kid'] !== engine.sentinelKey.kid) {
			return undefined;
		}

		if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(engine.sentinelKey.publicKey, Buffer.from(signature, 'base64url'))) {
			return undefined;
		}

		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
		if (!isRecord(claims) || typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= engine.now()) {
			return undefined;
		}

		const {accountId, client_id: clientId, scope} = claims;
		return typeof accountId === 'string' && typeof clientId === 'string' && typeof scope === 'string'
			? {accountId, clientId, scopes: scope.split(' ').filter(Boolean), exp: claims['exp']}
			: undefined;
	} catch {
		return undefined;
	}
}

/**
The claims of an `Authorization: Bearer <Sentinel JWT>` valid on `account`, or undefined. `scopes`: one of them is
needed (none given: any valid token of the account).
*/
export function bearerToken(
	engine: Engine,
	authorization: string | undefined,
	account: AccountState | undefined,
	scopes: readonly string[] = [],
): TokenClaims | undefined {
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
	const claims = bearer ? verifyJwt(engine, bearer[1]!) : undefined;
	if (!claims || !account || claims.accountId !== account.accountId) {
		return undefined;
	}

	return scopes.length === 0 || scopes.some(scope => claims.scopes.includes(scope)) ? claims : undefined;
}

/**
`POST /sentinel/api/v2/account/{accountId}/app/token`: form-encoded client credentials → `{access_token, token_type,
expires_in}` with `expires_in` as a string (as LivePerson's own client reads it). 400 for a wrong client, secret or
grant, with an OAuth 2.0 error body (RFC 6749 §5.2: LivePerson documents only the status).
*/
export function issueToken(
	engine: Engine,
	request: SandboxRequest,
	account: AccountState | undefined,
): SandboxResponse {
	if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
		return {status: 400, json: {error: 'invalid_request', error_description: 'The body must be application/x-www-form-urlencoded.'}};
	}

	const form = new URLSearchParams(request.body);
	if (form.get('grant_type') !== 'client_credentials') {
		return {status: 400, json: {error: 'unsupported_grant_type', error_description: 'Only grant_type=client_credentials is supported.'}};
	}

	const client = account?.clients.find(candidate => candidate.clientId === form.get('client_id'));
	if (!account || !client || client.clientSecret !== form.get('client_secret')) {
		return {status: 400, json: {error: 'invalid_client', error_description: 'Unknown client, or a wrong client secret, for this account.'}};
	}

	const iat = Math.floor(engine.now() / 1000);
	const accessToken = signJwt(engine, {
		iss: `https://va.sentinel.sandbox.test:${engine.port}`,
		sub: client.clientId,
		client_id: client.clientId,
		accountId: account.accountId,
		scope: client.scopes.join(' '),
		iat,
		exp: iat + tokenLifetimeSeconds,
	});
	return {status: 200, headers: {'cache-control': 'no-store'}, json: {access_token: accessToken, token_type: 'Bearer', expires_in: String(tokenLifetimeSeconds)}};
}

/** The Sentinel routes (not under `/api/account/`): the v2 token endpoint and the JWKS. */
export function answerSentinel(
	engine: Engine,
	request: SandboxRequest,
	account: (accountId: string) => AccountState | undefined,
): SandboxResponse | undefined {
	if (request.pathname === '/sentinel/well-known/jwks') {
		return request.method === 'GET' ? {status: 200, json: {keys: [engine.sentinelKey.jwk]}} : lpError(engine, 405, 'Method not allowed; use GET.', 405);
	}

	const match = /^\/sentinel\/api\/v2\/account\/([^/]+)\/app\/token$/.exec(request.pathname);
	if (!match) {
		return undefined;
	}

	return request.method === 'POST' ? issueToken(engine, request, account(safeDecode(match[1]!))) : lpError(engine, 405, 'Method not allowed; use POST.', 405);
}
