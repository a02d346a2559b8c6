import {randomBytes} from 'node:crypto';
import {STATUS_CODES, type IncomingHttpHeaders} from 'node:http';
import {
	hmacSha1Signature, normalizeUrl, type OAuthParameter, parseOAuthHeader, queryParameters, signatureBaseString, signaturesEqual,
} from './oauth.js';
import {isSystemSecretName, sessionTtlMs, systemSecretSpecs} from './seed.js';
import {
	type AccountState, accountBaseUris, infrastructureState, publicUser, type StoredSession, type StoredUser,
} from './state.js';

export type SandboxRequest = {
	readonly method: string;
	/** The raw path as sent, without the query. */
	readonly pathname: string;
	readonly searchParams: URLSearchParams;
	/** The raw query, without `?`. */
	readonly search: string;
	readonly headers: IncomingHttpHeaders;
	readonly body: string;
};

export type SandboxResponse = {
	readonly status: number;
	readonly headers?: Readonly<Record<string, string>>;
	/** Serialised as JSON. */
	readonly json?: unknown;
	/** Sent as is (text/plain unless a content-type header is given). */
	readonly text?: string;
};

export type Engine = {
	readonly accounts: Map<string, AccountState>;
	/** By bearer. */
	readonly sessions: Map<string, StoredSession>;
	/** `consumerKey nonce` → when it may be forgotten (server ms). */
	readonly nonces: Map<string, number>;
	/** Unskewed ms clock: sessions and infrastructure. */
	now(): number;
	/** Skewed ms clock: OAuth timestamps and the time shown in bodies. */
	serverNow(): number;
	readonly infrastructureMs: number;
	readonly port: number;
	nextUserId(): string;
};

export type Route = {
	/** Counted per account in `state().requests`. */
	readonly name: string;
	readonly accountId: string;
	handle(request: SandboxRequest): SandboxResponse;
};

const oauthWindowSeconds = 300;
const accountIdPattern = /^[a-zA-Z0-9_]{1,20}$/;
const requiredUserFields = {
	loginName: 'string',
	fullName: 'string',
	nickname: 'string',
	email: 'string',
	isEnabled: 'boolean',
	maxChats: 'number',
} as const;

/** Finds the LivePerson route for a path (routing ignores the Host header). */
export function matchRoute(engine: Engine, method: string, pathname: string): Route | undefined {
	const match = /^\/api\/account\/([^/]+)(\/.*)$/.exec(pathname);
	if (!match) {
		return undefined;
	}

	let accountId: string;
	try {
		accountId = decodeURIComponent(match[1]!);
	} catch {
		return undefined;
	}

	const rest = match[2]!;
	const route = (name: string, handle: (request: SandboxRequest, account: AccountState | undefined) => SandboxResponse): Route => ({
		name,
		accountId,
		handle(request) {
			if (!accountIdPattern.test(accountId)) {
				return lpError(engine, 400, `Invalid account id ${JSON.stringify(accountId)}.`, 400);
			}

			return handle(request, engine.accounts.get(accountId));
		},
	});
	const only = (allowed: string, name: string, handle: (request: SandboxRequest, account: AccountState | undefined) => SandboxResponse) =>
		route(name, (request, account) => method === allowed ? handle(request, account) : methodNotAllowed(engine, allowed));

	if (/^\/service\/baseURI(?:\.json)?$/.test(rest)) {
		return only('GET', 'csds.all', (request, account) => csdsAll(engine, request, account));
	}

	const service = /^\/service\/([^/]+)\/baseURI(?:\.json)?$/.exec(rest);
	if (service) {
		return only('GET', 'csds.one', (request, account) => csdsOne(engine, request, account, safeDecode(service[1]!)));
	}

	if (rest === '/login') {
		return only('POST', 'login', (request, account) => login(engine, request, account));
	}

	if (rest === '/refresh' || rest === '/logout') {
		const action = rest.slice(1) as 'refresh' | 'logout';
		return only('POST', action, (request, account) => sessionAction(engine, request, account, action));
	}

	if (rest === '/configuration/le-users/users') {
		if (method === 'GET') {
			return route('users.list', (request, account) => listUsers(engine, request, account));
		}

		return only('POST', 'users.create', (request, account) => createUsers(engine, request, account));
	}

	return matchFunctionsRoute(engine, method, rest, route);
}

function matchFunctionsRoute(
	engine: Engine,
	method: string,
	rest: string,
	route: (name: string, handle: (request: SandboxRequest, account: AccountState | undefined) => SandboxResponse) => Route,
): Route | undefined {
	type Handler = (request: SandboxRequest, account: AccountState, user: StoredUser) => SandboxResponse;
	const functions = (area: string, handlers: Partial<Record<string, Handler>>) => {
		const handler = handlers[method];
		return route(`functions.${area}.${method.toLowerCase()}`, (request, account) => {
			const allowed = Object.keys(handlers).join(', ');
			return withFunctionsAuth(engine, request, account, (checked, user) =>
				handler ? handler(request, checked, user) : {...methodNotAllowed(engine, allowed), json: faasBody('com.liveperson.faas.method-not-allowed', `Use ${allowed}.`)});
		});
	};

	if (rest === '/feature') {
		return functions('feature', {
			GET: (_request, account) => ({status: 200, json: {active: account.featureActive}}),
			PUT: (request, account) => putFeature(engine, request, account),
		});
	}

	const secret = /^\/system-secrets\/([^/]+)$/.exec(rest);
	if (secret) {
		const name = safeDecode(secret[1]!);
		return functions('system-secrets', {
			GET: (_request, account) => getSystemSecret(account, name),
			PUT: (_request, account) => putSystemSecret(engine, account, name),
		});
	}

	if (rest === '/proxy-settings') {
		return functions('proxy-settings', {
			GET: (_request, account) => account.functionsVersion === 1
				? {status: 200, json: account.allowlist.map(entry => ({...entry}))}
				: faasError(404, 'com.liveperson.faas.not-found', 'Proxy settings are a Functions V1 feature.'),
			POST: (request, account) => addProxySetting(request, account),
		});
	}

	if (rest === '/infrastructure') {
		return functions('infrastructure', {
			GET: (_request, account) => account.functionsVersion === 2
				? {status: 200, json: infrastructureState(account, engine.now(), engine.infrastructureMs)}
				: faasError(404, 'com.liveperson.faas.not-found', 'Infrastructure provisioning is a Functions V2 feature.'),
			POST: (_request, account) => startInfrastructure(engine, account),
		});
	}

	return undefined;
}

// CSDS

function csdsAll(engine: Engine, request: SandboxRequest, account: AccountState | undefined): SandboxResponse {
	if (request.searchParams.get('version') !== '1.0') {
		return lpError(engine, 400, 'Query parameter version=1.0 is required.', 400);
	}

	return {status: 200, json: {baseURIs: account ? accountBaseUris(account, engine.port) : []}};
}

function csdsOne(engine: Engine, request: SandboxRequest, account: AccountState | undefined, service: string): SandboxResponse {
	if (request.searchParams.get('version') !== '1.0') {
		return lpError(engine, 400, 'Query parameter version=1.0 is required.', 400);
	}

	const entry = account && accountBaseUris(account, engine.port).find(candidate => candidate.service === service);
	return entry ? {status: 200, json: entry} : lpError(engine, 404, `No service ${service} for this account.`, 404);
}

// Login service

function login(engine: Engine, request: SandboxRequest, account: AccountState | undefined): SandboxResponse {
	if (request.searchParams.get('v') !== '1.3') {
		return lpError(engine, 400, 'Query parameter v=1.3 is required.', 400);
	}

	const body = parseJson(request.body);
	if (!isRecord(body) || typeof body['username'] !== 'string') {
		return lpError(engine, 400, 'Body must be JSON with username and password, or username and the four API key values.', 400);
	}

	const {username} = body;
	const password = body['password'];
	const keyFields = ['appKey', 'secret', 'accessToken', 'accessTokenSecret'] as const;
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
			ok = (user.userTypeId === 2 || user.isApiUser)
				&& splitAppKeys(user.allowedAppKeys).includes(appKey!)
				&& account.apiKeys.some(key => key.appKey === appKey && key.appSecret === secret
					&& key.accessToken === accessToken && key.accessTokenSecret === accessTokenSecret);
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
	engine.sessions.set(session.bearer, session);
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

function sessionAction(engine: Engine, request: SandboxRequest, account: AccountState | undefined, action: 'refresh' | 'logout'): SandboxResponse {
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

// Users API

type Caller = {ok: true} | {ok: false; response: SandboxResponse};

function authenticateUsersCall(engine: Engine, request: SandboxRequest, account: AccountState | undefined): Caller {
	const authorization = request.headers.authorization ?? '';
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
	if (bearer) {
		const session = validSession(engine, bearer[1]!, account);
		return session ? {ok: true} : {ok: false, response: lpError(engine, 401, 'The bearer token is invalid or expired.', 401)};
	}

	const oauth = parseOAuthHeader(authorization);
	if (!oauth) {
		return {ok: false, response: lpError(engine, 401, 'Authorization header with Bearer or OAuth 1.0 is required.', 401)};
	}

	const problem = verifyOAuth(engine, request, account, oauth);
	return problem ? {ok: false, response: problem} : {ok: true};
}

/** OAuth Core 1.0 §9 verification. Returns the 401 response, or undefined when the request is authentic. */
function verifyOAuth(engine: Engine, request: SandboxRequest, account: AccountState | undefined, header: OAuthParameter[]): SandboxResponse | undefined {
	const oauth = new Map(header);
	const refuse = (problem: string, advice: string): SandboxResponse => ({
		status: 401,
		headers: {'content-type': 'application/x-www-form-urlencoded', 'www-authenticate': 'OAuth'},
		text: `oauth_problem=${problem}&oauth_problem_advice=${encodeURIComponent(advice)}`,
	});
	const required = ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce'];
	const absent = required.filter(name => !oauth.get(name));
	if (absent.length > 0) {
		return refuse('parameter_absent', `missing ${absent.join(', ')}`);
	}

	const consumerKey = oauth.get('oauth_consumer_key')!;
	const key = account?.apiKeys.find(candidate => candidate.appKey === consumerKey);
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
	const serverSeconds = engine.serverNow() / 1000;
	if (!/^\d+$/.test(oauth.get('oauth_timestamp')!) || Math.abs(serverSeconds - timestamp) > oauthWindowSeconds) {
		return refuse('timestamp_refused', `the timestamp is more than ${oauthWindowSeconds} s away from the server time ${Math.floor(serverSeconds)}`);
	}

	const parameters: OAuthParameter[] = [...queryParameters(request.search), ...header];
	if (/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
		parameters.push(...queryParameters(request.body));
	}

	const url = normalizeUrl('http', request.headers.host ?? '', request.pathname);
	const expected = hmacSha1Signature(signatureBaseString(request.method, url, parameters), key.appSecret, key.accessTokenSecret);
	if (!signaturesEqual(expected, oauth.get('oauth_signature')!)) {
		return refuse('signature_invalid', 'the oauth_signature is invalid');
	}

	const now = engine.serverNow();
	for (const [seen, forgetAt] of engine.nonces) {
		if (forgetAt <= now) {
			engine.nonces.delete(seen);
		}
	}

	const nonceKey = `${consumerKey} ${oauth.get('oauth_nonce')!}`;
	if (engine.nonces.has(nonceKey)) {
		return refuse('nonce_used', 'the nonce was used before');
	}

	engine.nonces.set(nonceKey, now + (2 * oauthWindowSeconds * 1000));
	return undefined;
}

function listUsers(engine: Engine, request: SandboxRequest, account: AccountState | undefined): SandboxResponse {
	if (request.searchParams.get('v') !== '4.0') {
		return lpError(engine, 400, 'Query parameter v=4.0 is required.', 400);
	}

	const caller = authenticateUsersCall(engine, request, account);
	if (!caller.ok) {
		return caller.response;
	}

	return {status: 200, headers: {'ac-revision': String(account!.revision)}, json: account!.users.map(user => publicUser(user))};
}

function createUsers(engine: Engine, request: SandboxRequest, account: AccountState | undefined): SandboxResponse {
	if (request.searchParams.get('v') !== '4.0') {
		return lpError(engine, 400, 'Query parameter v=4.0 is required.', 400);
	}

	const caller = authenticateUsersCall(engine, request, account);
	if (!caller.ok) {
		return caller.response;
	}

	const body = parseJson(request.body);
	const entities = Array.isArray(body) ? body : [body];
	if (entities.length === 0) {
		return lpError(engine, 400, 'The body must be a user object or a non-empty array of users.', 400);
	}

	const loginNames = new Set(account!.users.map(user => user.loginName.toLowerCase()));
	const created: StoredUser[] = [];
	for (const [index, entity] of entities.entries()) {
		const where = Array.isArray(body) ? ` (item ${index})` : '';
		const problem = validateNewUser(entity);
		if (problem) {
			return lpError(engine, 400, `${problem}${where}`, 400);
		}

		const user = entity as Record<string, unknown> & {loginName: string};
		if (loginNames.has(user.loginName.toLowerCase())) {
			return lpError(engine, 400, `A user with loginName ${user.loginName} already exists${where}.`, 400);
		}

		loginNames.add(user.loginName.toLowerCase());
		const {passwordSh, id: _id, ...fields} = user;
		const profileIds = (user['profileIds'] as number[]).slice();
		created.push({
			...structuredClone(fields),
			id: engine.nextUserId(),
			loginName: user.loginName,
			fullName: user['fullName'] as string,
			nickname: user['nickname'] as string,
			email: user['email'] as string,
			isEnabled: user['isEnabled'] as boolean,
			maxChats: user['maxChats'] as number,
			profileIds,
			userTypeId: typeof user['userTypeId'] === 'number' ? user['userTypeId'] : 1,
			isApiUser: user['isApiUser'] === true,
			isAdmin: profileIds.includes(1),
			...(typeof passwordSh === 'string' ? {password: passwordSh} : {}),
		});
	}

	account!.users.push(...created);
	account!.revision++;
	const publicCreated = created.map(user => publicUser(user));
	const headers: Record<string, string> = {'ac-revision': String(account!.revision)};
	if (!Array.isArray(body)) {
		headers['location'] = `/api/account/${account!.accountId}/configuration/le-users/users/${created[0]!.id}`;
	}

	return {status: 201, headers, json: Array.isArray(body) ? publicCreated : publicCreated[0]};
}

function validateNewUser(entity: unknown): string | undefined {
	if (!isRecord(entity)) {
		return 'Each user must be a JSON object.';
	}

	for (const [field, type] of Object.entries(requiredUserFields)) {
		// eslint-disable-next-line valid-typeof
		if (typeof entity[field] !== type || (type === 'string' && entity[field] === '')) {
			return `Field ${field} is required and must be a ${type === 'string' ? 'non-empty string' : type}.`;
		}
	}

	if (!Array.isArray(entity['profileIds']) || entity['profileIds'].length === 0 || !entity['profileIds'].every(id => Number.isInteger(id))) {
		return 'Field profileIds is required and must be a non-empty array of numbers.';
	}

	if (entity['userTypeId'] !== undefined && ![0, 1, 2].includes(entity['userTypeId'] as number)) {
		return 'Field userTypeId must be 0, 1 or 2.';
	}

	if (entity['isApiUser'] !== undefined && typeof entity['isApiUser'] !== 'boolean') {
		return 'Field isApiUser must be a boolean.';
	}

	if (entity['isApiUser'] === true && (typeof entity['allowedAppKeys'] !== 'string' || entity['allowedAppKeys'].trim() === '')) {
		return 'An API user (isApiUser: true) needs allowedAppKeys.';
	}

	return undefined;
}

// Functions

function withFunctionsAuth(
	engine: Engine,
	request: SandboxRequest,
	account: AccountState | undefined,
	next: (account: AccountState, user: StoredUser) => SandboxResponse,
): SandboxResponse {
	const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
	const session = bearer ? validSession(engine, bearer[1]!, account) : undefined;
	const user = session && account?.users.find(candidate => candidate.id === session.userId);
	if (!account || !session || !user) {
		return faasError(401, 'com.liveperson.faas.unauthorized', 'A valid bearer token of this account is required.');
	}

	if (!user.isAdmin) {
		return faasError(403, 'com.liveperson.faas.forbidden', 'Only a LivePerson administrator may manage Functions.');
	}

	const version = request.searchParams.get('v');
	if (version !== String(account.functionsVersion)) {
		return faasError(400, 'com.liveperson.faas.bad-request', `This account runs Functions V${account.functionsVersion}; use v=${account.functionsVersion} (got ${version ?? 'none'}).`);
	}

	const userId = request.searchParams.get('userId');
	if (userId !== session.userId) {
		return faasError(400, 'com.liveperson.faas.bad-request', 'Query parameter userId must be the logged-in user\'s id.');
	}

	return next(account, user);
}

function putFeature(engine: Engine, request: SandboxRequest, account: AccountState): SandboxResponse {
	const body = parseJson(request.body);
	if (!isRecord(body) || typeof body['active'] !== 'boolean') {
		return faasError(400, 'com.liveperson.faas.bad-request', 'Body must be {"active": true|false}.');
	}

	if (body['active'] && account.functionsVersion === 2) {
		const infrastructure = infrastructureState(account, engine.now(), engine.infrastructureMs);
		if (infrastructure.state !== 'done' || !account.systemSecrets.has('LIVEPERSON_DEFAULT_APP_KEY')) {
			return pending(infrastructure.state === 'done'
				? 'The feature needs the LIVEPERSON_DEFAULT_APP_KEY system secret first.'
				: 'Infrastructure provisioning is not done yet.');
		}
	}

	account.featureActive = body['active'];
	return {status: 200, json: {active: account.featureActive}};
}

function secretFor(account: AccountState, name: string) {
	return isSystemSecretName(name) && systemSecretSpecs[name].version === account.functionsVersion ? name : undefined;
}

function getSystemSecret(account: AccountState, name: string): SandboxResponse {
	const known = secretFor(account, name);
	const stored = known && account.systemSecrets.get(known);
	if (!known || !stored) {
		return faasError(404, 'com.liveperson.faas.secret.not-found', `System secret ${name} does not exist.`);
	}

	return {status: 200, json: {key: known, privileges: [...systemSecretSpecs[known].privileges], createdAt: stored.createdAt}};
}

function putSystemSecret(engine: Engine, account: AccountState, name: string): SandboxResponse {
	const known = secretFor(account, name);
	if (!known) {
		return faasError(400, 'com.liveperson.faas.bad-request', `${name} is not a system secret of Functions V${account.functionsVersion}.`);
	}

	const existing = account.systemSecrets.get(known);
	if (!existing && account.functionsVersion === 2
		&& infrastructureState(account, engine.now(), engine.infrastructureMs).state !== 'done') {
		return pending('Infrastructure provisioning is not done yet.');
	}

	const stored = existing ?? {createdAt: new Date(engine.serverNow()).toISOString()};
	account.systemSecrets.set(known, stored);
	return {status: existing ? 200 : 201, json: {key: known, privileges: [...systemSecretSpecs[known].privileges], createdAt: stored.createdAt}};
}

/** FQDN (RFC 1035 labels), at most one leading `*.`; a `:port` suffix is accepted because sandbox CSDS hosts carry one. */
export function isAllowedDomainPattern(domain: string): boolean {
	const match = /^(\*\.)?([^:*]+)(?::(\d{1,5}))?$/.exec(domain);
	if (!match || match[2]!.length > 253) {
		return false;
	}

	const labels = match[2]!.split('.');
	return labels.length >= 2 && labels.every(label => /^[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?$/i.test(label))
		&& (match[3] === undefined || Number(match[3]) <= 65_535);
}

function addProxySetting(request: SandboxRequest, account: AccountState): SandboxResponse {
	if (account.functionsVersion !== 1) {
		return faasError(404, 'com.liveperson.faas.not-found', 'Proxy settings are a Functions V1 feature.');
	}

	const body = parseJson(request.body);
	const domain = isRecord(body) ? body['domain'] : undefined;
	if (typeof domain !== 'string' || !isAllowedDomainPattern(domain)) {
		return faasError(400, 'com.liveperson.faas.proxy-settings.invalid-domain', `${JSON.stringify(domain)} is not a valid domain (a FQDN, optionally starting with one "*.").`);
	}

	const identity = (value: string) => value.toLowerCase().replace(/:\d+$/, '');
	if (account.allowlist.some(entry => identity(entry.domain) === identity(domain))) {
		return faasError(409, 'com.liveperson.faas.proxy-settings.duplicate', `${domain} is already allowlisted.`);
	}

	const entry = {id: Math.max(0, ...account.allowlist.map(({id}) => id)) + 1, domain, name: domain};
	account.allowlist.push(entry);
	return {status: 200, json: {...entry}};
}

function startInfrastructure(engine: Engine, account: AccountState): SandboxResponse {
	if (account.functionsVersion !== 2) {
		return faasError(404, 'com.liveperson.faas.not-found', 'Infrastructure provisioning is a Functions V2 feature.');
	}

	const now = engine.now();
	const current = infrastructureState(account, now, engine.infrastructureMs);
	if (current.state === 'running' || current.state === 'done') {
		return {status: 200, json: current};
	}

	account.infrastructureStartedAt = now;
	return {status: 202, json: infrastructureState(account, now, engine.infrastructureMs)};
}

// Helpers

function validSession(engine: Engine, bearer: string, account: AccountState | undefined): StoredSession | undefined {
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

function pending(message: string): SandboxResponse {
	return faasError(409, 'com.liveperson.faas.self-service.pending', message);
}

function faasBody(code: string, message: string) {
	return {code, message};
}

function faasError(status: number, code: string, message: string): SandboxResponse {
	return {status, json: faasBody(code, message)};
}

/** The Login Service / account config error body: `{error: {time, message, internalCode, responseStatus}}`. */
export function lpError(engine: Pick<Engine, 'serverNow'>, status: number, message: string, internalCode: number): SandboxResponse {
	return {status, json: lpErrorBody(engine.serverNow(), status, message, internalCode)};
}

export function lpErrorBody(time: number, status: number, message: string, internalCode: number) {
	const responseStatus = (STATUS_CODES[status] ?? 'Error').toUpperCase().replaceAll(/[^A-Z\d]+/g, '_');
	return {error: {time, message, internalCode, responseStatus}};
}

function methodNotAllowed(engine: Engine, allowed: string): SandboxResponse {
	return {...lpError(engine, 405, `Method not allowed; use ${allowed}.`, 405), headers: {allow: allowed}};
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cookie(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? '').split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key?.toLowerCase() === name.toLowerCase()) {
			return value.join('=');
		}
	}

	return undefined;
}

function splitAppKeys(value: string | undefined): string[] {
	return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

function token(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}
