import {createHash} from 'node:crypto';
import {
	cookie, type Engine, isRecord, lpError, parseJson, type SandboxResponse, token,
} from '../http.js';
import type {RouteContext, RouteEntry} from '../router.js';
import {sessionTtlMs} from '../seed.js';
import {type AccountState, accountBaseUris, type StoredSession, type StoredUser} from '../state.js';

/** Login Service (docs/contract.md "Login service"): user or API-key login, keep-alive and logout. */
export const loginRoutes: readonly RouteEntry[] = [
	{method: 'POST', path: /^\/login$/, name: 'login', handle: login},
	{method: 'POST', path: /^\/refresh$/, name: 'refresh', handle: context => sessionAction(context, 'refresh')},
	{method: 'POST', path: /^\/logout$/, name: 'logout', handle: context => sessionAction(context, 'logout')},
];

const keyFields = ['appKey', 'secret', 'accessToken', 'accessTokenSecret'] as const;

/**
The sandbox's own bound (LivePerson documents none): live sessions per account. A login beyond it ends the account's
oldest session, so a client that logs in in a loop cannot grow the sandbox without bound within the 8 h `sessionTTl`.
*/
export const maxSessionsPerAccount = 100;

/**
A failed login's body: a string `error` with `internalCode` beside it, the shape node-agent-sdk reads
(`lib/ExternalServices.js` `new SDKError(body.error, body.internalCode)`; a real one is quoted in its issue #151).
Refresh and logout keep the documented nested `{error: {…}}`.
*/
export function loginError(status: number, message: string, internalCode: number): SandboxResponse {
	return {status, json: {error: message, internalCode}};
}

const badLoginBody = 'Body must be JSON with username and password, or username and the four API key values.';

function login({engine, request, account}: RouteContext): SandboxResponse {
	if (request.searchParams.get('v') !== '1.3') {
		return loginError(400, 'Query parameter v=1.3 is required.', 400);
	}

	const body = parseJson(request.body);
	if (!isRecord(body) || typeof body['username'] !== 'string') {
		return loginError(400, badLoginBody, 400);
	}

	const {username} = body;
	const password = body['password'];
	const isKeyLogin = keyFields.every(field => typeof body[field] === 'string');
	if (typeof password !== 'string' && !isKeyLogin) {
		return loginError(400, badLoginBody, 400);
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
				return loginError(401, 'OAuth 1.0 bot logins are no longer accepted for this account (end of life 2026-04-30). Log in with an OAuth 2.0 client.', 1001);
			}

			ok = (user.userTypeId === 2 || user.isApiUser)
				&& splitAppKeys(user.allowedAppKeys).includes(appKey!)
				&& (client || key);
		}
	}

	if (!account || !user || !ok) {
		return loginError(401, 'Authentication failed: wrong account, user name or credentials.', 1001);
	}

	return loggedIn(engine, account, user);
}

/** A new session for `user` and the login answer that hands it out. */
function loggedIn(engine: Engine, account: AccountState, user: StoredUser): SandboxResponse {
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
			// Beside the cookie, as lpf reads it (`lib/controller/login.controller.js` stores `response.sessionId` and refreshes
			// with `Cookie: session_id=<it>`); the docs' example has the cookie only.
			sessionId: session.sessionId,
			csrf: session.csrf,
			wsuk: token(8),
			config: {
				loginName: user.loginName,
				userId: user.id,
				// node-agent-sdk sets `agent.agentId` from it (`lib/AgentSDK.js`); the value is the sandbox's own.
				userPid: userPid(account.accountId, user.id),
				userPrivileges: user.isAdmin ? [1, 2, 3, 4, 5] : [1],
				serverCurrentTime: serverTime,
				timeDiff: 0,
				serverTimeZoneName: 'Coordinated Universal Time',
				serverTimeGMTDiff: 0,
				isLPA: false,
				isAdmin: user.isAdmin,
				accountTimeZoneId: 'UTC',
			},
			csdsCollectionResponse: {baseURIs: accountBaseUris(account, engine)},
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
export function validSession(
	engine: Engine,
	bearer: string,
	account: AccountState | undefined,
): StoredSession | undefined {
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
export function bearerSession(
	engine: Engine,
	authorization: string | undefined,
	account: AccountState | undefined,
): StoredSession | undefined {
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
	return bearer ? validSession(engine, bearer[1]!, account) : undefined;
}

function splitAppKeys(value: string | undefined): string[] {
	return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/** A stable, UUID-shaped agent PID per account and user (LivePerson's format is not documented). */
export function userPid(accountId: string, userId: string): string {
	const hex = createHash('sha256').update(`${accountId}.${userId}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
