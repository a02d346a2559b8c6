import {malformedError} from './http.js';
import {retryPolicy} from './retry-policy.js';
import {assertAccountId, expectRecord, optionalString, serviceUrl, type ServiceContext} from './service.js';
import {type Credentials, loginRefusedHint} from './credentials.js';
import type {CallOptions, Domains, LoginBody, Session} from './types.js';

/** The docs' `sessionTTl` (8 h), used when the answer lacks a readable one. */
const defaultSessionTtlMs = 28_800_000;

const sessionHint = 'The session has ended: sign in again (re-run the wizard).';

/**
Signs in to the Login Service (agentVep) with a user name and password, or with an API key for a bot user (the four
values go in the JSON body, not in an OAuth header). Retried like a read: a repeated login only makes another session.
*/
export async function login(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	body: LoginBody,
	options: CallOptions = {},
): Promise<Session> {
	assertAccountId(accountId);
	const what = `Signing in to account ${accountId} as ${body.username}`;
	const url = serviceUrl(context, domains, 'agentVep', `/api/account/${accountId}/login?v=1.3`, what);
	const apiKey = 'credentials' in body;
	const json = apiKey
		? {username: body.username, ...loginKeyFields(body.credentials)}
		: {username: body.username, password: body.password};
	const response = await context.http.send({
		method: 'POST',
		url,
		what,
		body: json,
		secretBody: true,
		idempotent: true,
		// The docs: retry a login only 5 s after a 429; a 451 (blacklisted) is never retried, like every 4xx.
		rateLimitFloorMs: retryPolicy.loginRateLimitFloorMs,
		hints: {
			401: apiKey ? loginRefusedHint(body.username, body.credentials) : `Check the user name and password of ${body.username}, then re-run the wizard.`,
		},
		onRetry: options.onRetry,
		signal: options.signal,
	});
	const answer = expectRecord(response.body, what, response.status);
	const config = expectRecord(answer.config ?? {}, what, response.status);
	const bearer = optionalString(answer.bearer);
	const csrf = optionalString(answer.csrf);
	const userId = optionalString(config.userId);
	const sessionId = sessionCookie(response.headers['set-cookie']) ?? optionalString(answer.sessionId);
	if (!bearer || !csrf || !userId || !sessionId) {
		throw malformedError(what, 'no bearer, csrf, userId or Session_id', response.status);
	}

	const ttl = Number(answer.sessionTTl);
	return {
		accountId,
		bearer,
		csrf,
		sessionId,
		userId,
		loginName: optionalString(config.loginName) ?? body.username,
		isAdmin: config.isAdmin === true,
		expiresAt: context.clock.now() + (Number.isFinite(ttl) && ttl > 0 ? ttl : defaultSessionTtlMs),
	};
}

/**
The login body's key fields. An OAuth 2.0 client logs a bot in through the same fields: the client id as `appKey`, the
client secret as `secret`, and "dummy" for the two token fields (the Login Service's application login page).
*/
export function loginKeyFields(credentials: Credentials): {
	appKey: string;
	secret: string;
	accessToken: string;
	accessTokenSecret: string;
} {
	return credentials.kind === 'oauth2'
		? {appKey: credentials.clientId, secret: credentials.clientSecret, accessToken: 'dummy', accessTokenSecret: 'dummy'}
		: {
			appKey: credentials.appKey,
			secret: credentials.appSecret,
			accessToken: credentials.accessToken,
			accessTokenSecret: credentials.accessTokenSecret,
		};
}

/** Keeps a session alive (the docs: every 3–5 minutes). */
export async function refresh(
	context: ServiceContext,
	session: Session,
	domains: Domains,
	options: CallOptions = {},
): Promise<void> {
	await sessionCall(context, session, domains, 'refresh', `Refreshing the session of ${session.loginName}`, options);
}

export async function logout(
	context: ServiceContext,
	session: Session,
	domains: Domains,
	options: CallOptions = {},
): Promise<void> {
	await sessionCall(context, session, domains, 'logout', `Signing out ${session.loginName}`, options);
}

async function sessionCall(context: ServiceContext, session: Session, domains: Domains, action: 'refresh' | 'logout', what: string, options: CallOptions): Promise<void> {
	assertAccountId(session.accountId);
	const url = serviceUrl(context, domains, 'agentVep', `/api/account/${session.accountId}/${action}`, what);
	await context.http.send({
		method: 'POST',
		url,
		what,
		headers: {cookie: `Session_id=${session.sessionId}`},
		body: {csrf: session.csrf},
		idempotent: true,
		hints: {401: sessionHint},
		onRetry: options.onRetry,
		signal: options.signal,
	});
}

/** The `Session_id` value from Set-Cookie (the name's case varies between LivePerson clients). */
export function sessionCookie(header: string | string[] | undefined): string | undefined {
	for (const cookie of Array.isArray(header) ? header : (header ? [header] : [])) {
		const match = /^\s*session_id=([^;]*)/i.exec(cookie);
		if (match?.[1]) {
			return match[1];
		}
	}

	return undefined;
}
