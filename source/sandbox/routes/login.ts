import {
	cookie, type Engine, isRecord, lpError, parseJson, type SandboxResponse, token,
} from '../http.js';
import type {RouteContext, RouteEntry} from '../router.js';
import {sessionTtlMs} from '../seed.js';
import {type AccountState, accountBaseUris, type StoredSession} from '../state.js';

/** Login Service (docs/contract.md "Login service"): user or API-key login, keep-alive and logout. */
export const loginRoutes: readonly RouteEntry[] = [
	{method: 'POST', path: /^\/login$/, name: 'login', handle: login},
	{method: 'POST', path: /^\/refresh$/, name: 'refresh', handle: context => sessionAction(context, 'refresh')},
	{method: 'POST', path: /^\/logout$/, name: 'logout', handle: context => sessionAction(context, 'logout')},
];

const keyFields = ['appKey', 'secret', 'accessToken', 'accessTokenSecret'] as const;

/**
The sandbox's own bound (LivePerson documents none): live sessions per account. A login beyond it ends the account's oldest
session, so a client that logs in in a loop cannot grow the sandbox without bound within the 8 h `sessionTTl`.
*/
export const maxSessionsPerAccount = 100;

function login({engine, request, account}: RouteContext): SandboxResponse {
	if (request.searchParams.get('v') !== '1.3') {
		return lpError(engine, 400, 'Query parameter v=1.3 is required.', 400);
	}

	const body = parseJson(request.body);
	if (!isRecord(body) || typeof body['username'] !== 'string') {
		return lpError(engine, 400, 'Body must be JSON with username and password, or username and the four API key values.', 400);
	}

	const {username} = body;
	const password = body['password'];
	const isKeyLogin = keyFields.every(field => typeof body[field] === 'string');
	if (typeof password !== 'string' && !isKeyLogin) {
		return lpError(engine, 400, 'Body must be JSON with username and password, or username and the four API key values.', 400);
	}

	const user = account?.users.find(candidate => candidate.loginName === username && candidate.isEnabled);
	let ok = false;
	if (account && user) {
		if (typeof password === 'string') {
			ok = !user.isApiUser && user.password !== undefined && user.password === password;
		} else {
			const [appKey, secret, accessToken, accessTokenSecret] = keyFields.map(field => body[field] as string);
			// An OAuth 2.0 client logs in through the same fields, "dummy" in the two token fields (the application login page).
			const client = account.clients.some(candidate => candidate.clientId === appKey && candidate.clientSecret === secret)
				&& accessToken === 'dummy' && accessTokenSecret === 'dummy';
			const key = account.apiKeys.some(candidate => candidate.appKey === appKey && candidate.appSecret === secret
				&& candidate.accessToken === accessToken && candidate.accessTokenSecret === accessTokenSecret);
			if (key && !client && !account.acceptsOAuth1) {
				return lpError(engine, 401, 'OAuth 1.0 bot logins are no longer accepted for this account (end of life 2026-04-30). Log in with an OAuth 2.0 client.', 1001);
			}

			ok = (user.userTypeId === 2 || user.isApiUser) && splitAppKeys(user.allowedAppKeys).includes(appKey!) && (client || key);
		}
	}

	if (!account || !user || !ok) {
		return lpError(engine, 401, 'Authentication failed: wrong account, user name or credentials.', 1001);
	}

	const session: StoredSession = {
		accountId: account.accountId,
		userId: user.id,
		sessionId: token(16),
		bearer: token(32),
		csrf: token(16),
		expiresAt: engine.now() + sessionTtlMs,
	};
	addSession(engine, session);
	const serverTime = engine.serverNow();
	return {
		status: 200,
		headers: {'set-cookie': `Session_id=${session.sessionId}; Path=/; HttpOnly`},
		json: {
			csrf: session.csrf,
			wsuk: token(8),
			config: {
				loginName: user.loginName,
				userId: user.id,
				userPrivileges: user.isAdmin ? [1, 2, 3, 4, 5] : [1],
				serverCurrentTime: serverTime,
				timeDiff: 0,
				serverTimeZoneName: 'Coordinated Universal Time',
				serverTimeGMTDiff: 0,
				isLPA: false,
				isAdmin: user.isAdmin,
				accountTimeZoneId: 'UTC',
			},
			csdsCollectionResponse: {baseURIs: accountBaseUris(account, engine.port)},
			accountData: {agentGroupsData: {items: [{id: -1, deleted: false, name: 'Main Group'}], revision: 1}},
			sessionTTl: String(sessionTtlMs),
			bearer: session.bearer,
		},
	};
}

function sessionAction({engine, request, account}: RouteContext, action: 'refresh' | 'logout'): SandboxResponse {
	const body = parseJson(request.body);
	const csrf = isRecord(body) ? body['csrf'] : undefined;
	const sessionId = cookie(request.headers.cookie, 'Session_id');
	const now = engine.now();
	const session = [...engine.sessions.values()].find(candidate => candidate.sessionId === sessionId);
	if (!account || !session || session.accountId !== account.accountId || session.expiresAt <= now || typeof csrf !== 'string' || csrf !== session.csrf) {
		return lpError(engine, 401, 'CSRF token invalid! The session is missing, expired or belongs to another token.', 10);
	}

	if (action === 'refresh') {
		session.expiresAt = now + sessionTtlMs;
	} else {
		engine.sessions.delete(session.bearer);
	}

	return {status: 200};
}

/** Stores a new session, forgetting the expired ones and, past `maxSessionsPerAccount`, the account's oldest. */
function addSession(engine: Engine, session: StoredSession): void {
	const now = engine.now();
	const live: StoredSession[] = [];
	for (const [bearer, stored] of engine.sessions) {
		if (stored.expiresAt <= now) {
			engine.sessions.delete(bearer);
		} else if (stored.accountId === session.accountId) {
			live.push(stored);
		}
	}

	// Map order is insertion order: the first are the oldest logins.
	for (const old of live.slice(0, Math.max(0, live.length - maxSessionsPerAccount + 1))) {
		engine.sessions.delete(old.bearer);
	}

	engine.sessions.set(session.bearer, session);
}

/** The live session a bearer token names on this account, or undefined (an expired one is forgotten). */
export function validSession(engine: Engine, bearer: string, account: AccountState | undefined): StoredSession | undefined {
	const session = engine.sessions.get(bearer);
	if (!session || !account || session.accountId !== account.accountId) {
		return undefined;
	}

	if (session.expiresAt <= engine.now()) {
		engine.sessions.delete(bearer);
		return undefined;
	}

	return session;
}

/** The session of an `Authorization: Bearer …` header, if live on this account. */
export function bearerSession(engine: Engine, authorization: string | undefined, account: AccountState | undefined): StoredSession | undefined {
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
	return bearer ? validSession(engine, bearer[1]!, account) : undefined;
}

function splitAppKeys(value: string | undefined): string[] {
	return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
