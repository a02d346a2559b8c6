import {
	type Engine, isRecord, lpError, parseJson, type SandboxRequest, type SandboxResponse,
} from '../http.js';
import {parseOAuthHeader, verifyOAuth} from '../oauth.js';
import type {RouteContext, RouteEntry} from '../router.js';
import {type AccountState, publicUser, type StoredUser} from '../state.js';
import {bearerToken} from '../sentinel.js';
import {bearerSession} from './login.js';
import {selected} from './select.js';

/**
Users API, Profiles API and Agent Groups API (docs/contract.md "Users, Profiles, Agent Groups"): list and create users,
list profiles and agent groups, with a bearer token or an OAuth 1.0 header.
*/
export const usersRoutes: readonly RouteEntry[] = [
	{method: 'GET', path: /^\/configuration\/le-users\/users$/, name: 'users.list', handle: listUsers},
	{method: 'POST', path: /^\/configuration\/le-users\/users$/, name: 'users.create', handle: createUsers},
	{method: 'GET', path: /^\/configuration\/le-users\/profiles$/, name: 'profiles.list', handle: listProfiles},
	{method: 'GET', path: /^\/configuration\/le-users\/agentGroups$/, name: 'agentGroups.list', handle: listAgentGroups},
	// One user (the practice ground of docs/contract.md "Users API: one user").
	{method: 'GET', path: /^\/configuration\/le-users\/users\/([^/]+)$/, name: 'users.get', handle: getUser},
	{method: 'PUT', path: /^\/configuration\/le-users\/users\/([^/]+)$/, name: 'users.update', handle: updateUser},
	{method: 'DELETE', path: /^\/configuration\/le-users\/users\/([^/]+)$/, name: 'users.delete', handle: deleteUser},
];

/** Profiles API role types (its appendix). */
const adminRole = 1;
const agentRole = 2;

function listProfiles({engine, request, account}: RouteContext): SandboxResponse {
	const refused = refusal(engine, request, account);
	if (refused) {
		return refused;
	}

	return {status: 200, json: account!.profiles.map(profile => ({...profile, description: '', deleted: false, isAssignedToLPA: false}))};
}

function listAgentGroups({engine, request, account}: RouteContext): SandboxResponse {
	const refused = refusal(engine, request, account);
	if (refused) {
		return refused;
	}

	return {status: 200, headers: {'ac-revision': String(account!.revision)}, json: account!.agentGroups.map(group => ({...group, description: '', deleted: false}))};
}

const requiredUserFields = {
	loginName: 'string',
	fullName: 'string',
	nickname: 'string',
	email: 'string',
	isEnabled: 'boolean',
	maxChats: 'number',
} as const;

/** The Users API scopes a Sentinel token needs per method (the sandbox's table; docs/contract.md "Sandbox"). */
const usersScopes = {GET: ['users.external', 'users.read', 'users.write'], POST: ['users.external', 'users.write']} as const;

/**
Undefined when the caller may make this call; else the 400/401 answer. The Users API at v=6.0 takes only a Sentinel
token (valid, unexpired, with a Users scope); at v=4.0 an OAuth 1.0 signature, a Login Service bearer, or such a token
(no page says v=4.0 refuses OAuth 2.0: the sandbox's choice, docs/contract.md). Profiles and Agent Groups (`users`
false) take v=4.0 with any of the three, a Sentinel token of the account included.
*/
export function refusal(
	engine: Engine,
	request: SandboxRequest,
	account: AccountState | undefined,
	users = false,
): SandboxResponse | undefined {
	const authorization = request.headers.authorization ?? '';
	const version = request.searchParams.get('v');
	// The scopes a Sentinel token needs here: the Users API's by method; Profiles and Agent Groups ask none.
	const scopes = users ? (request.method === 'GET' ? usersScopes.GET : usersScopes.POST) : [];
	if (users && version === '6.0') {
		return bearerToken(engine, authorization, account, scopes)
			? undefined
			: lpError(engine, 401, `Users API v6.0 needs a valid, unexpired Sentinel token with one of the scopes ${scopes.join(', ')}.`, 401);
	}

	if (version !== '4.0') {
		return lpError(engine, 400, `Query parameter v=4.0 is required${users ? ' (or v=6.0 with an OAuth 2.0 token)' : ''}.`, 400);
	}

	if (/^Bearer\s+\S+$/i.test(authorization)) {
		const valid = bearerSession(engine, authorization, account) ?? bearerToken(engine, authorization, account, scopes);
		return valid ? undefined : lpError(engine, 401, 'The bearer token is invalid or expired.', 401);
	}

	const header = parseOAuthHeader(authorization);
	if (!header) {
		return lpError(engine, 401, 'Authorization header with Bearer or OAuth 1.0 is required.', 401);
	}

	if (account && !account.acceptsOAuth1) {
		return lpError(engine, 401, oauth1EndOfLifeMessage, 401);
	}

	return verifyOAuth({request, header, keys: account?.apiKeys ?? [], now: engine.serverNow(), nonces: engine.nonces});
}

/**
What an account past OAuth 1.0's end of life answers a key (the sandbox's own wording: LivePerson documents none).
*/
export const oauth1EndOfLifeMessage = 'OAuth 1.0 is no longer accepted for this account: it reached its end of life on 2026-05-31. Use OAuth 2.0 client credentials.';

function listUsers({engine, request, account}: RouteContext): SandboxResponse {
	const refused = refusal(engine, request, account, true);
	if (refused) {
		return refused;
	}

	// get-all-users.md: `select` filters the fields, all of them by default.
	const select = request.searchParams.get('select');
	const json = account!.users.map(user => selected(publicUser(user), select));
	return {status: 200, headers: {'ac-revision': String(account!.revision)}, json};
}

function createUsers({engine, request, account}: RouteContext): SandboxResponse {
	const refused = refusal(engine, request, account, true);
	if (refused) {
		return refused;
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
		const problem = validateNewUser(entity) ?? validatePlacement(account!, entity as Record<string, unknown>);
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
			isAdmin: profileIds.some(id => account!.profiles.find(profile => profile.id === id)?.roleTypeId === adminRole),
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

/**
The account's own profile ids only, and `memberOf` an existing agent group for a user with an Agent-role profile (the
Users API appendix: "required only if the user is an agent").
*/
function validatePlacement(account: AccountState, entity: Record<string, unknown>): string | undefined {
	const profiles = (entity['profileIds'] as number[]).map(id => ({id, profile: account.profiles.find(candidate => candidate.id === id)}));
	const unknown = profiles.find(({profile}) => !profile);
	if (unknown) {
		return `Profile ${unknown.id} does not exist in account ${account.accountId}.`;
	}

	if (!profiles.some(({profile}) => profile!.roleTypeId === agentRole)) {
		return undefined;
	}

	const memberOf = entity['memberOf'];
	const groupId = isRecord(memberOf) ? Number(memberOf['agentGroupId']) : Number.NaN;
	if (!Number.isFinite(groupId)) {
		return 'Field memberOf ({agentGroupId}) is required for a user with an Agent profile.';
	}

	return account.agentGroups.some(group => group.id === groupId) ? undefined : `Agent group ${groupId} does not exist in account ${account.accountId}.`;
}

function validateNewUser(entity: unknown): string | undefined {
	if (!isRecord(entity)) {
		return 'Each user must be a JSON object.';
	}

	for (const [field, type] of Object.entries(requiredUserFields)) {
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

/**
The revision check of the Users and Skills APIs (their appendices: `If-Match` carries the revision the client knows,
`ac-revision` answers the account's current one). LivePerson documents no status for a stale revision; the sandbox
answers 409. Without `If-Match` the write is not checked (the docs list the header without calling it required).
*/
export function staleRevision(
	engine: Engine,
	request: SandboxRequest,
	account: AccountState,
): SandboxResponse | undefined {
	const known = request.headers['if-match'];
	if (known === undefined || known.replaceAll('"', '').trim() === String(account.revision)) {
		return undefined;
	}

	return {
		...lpError(engine, 409, `If-Match ${known} is not the current revision ${account.revision}: read it again and retry.`, 409),
		headers: {'ac-revision': String(account.revision)},
	};
}

/**
What a write names, once the caller is let in and its `If-Match` (if any) is current; else the answer refusing it.
*/
export function forWrite<T extends {account: AccountState}>(
	engine: Engine,
	request: SandboxRequest,
	found: T | {refused: SandboxResponse},
): T | {refused: SandboxResponse} {
	if ('refused' in found) {
		return found;
	}

	const stale = staleRevision(engine, request, found.account);
	return stale ? {refused: stale} : found;
}

/** The user `id` of a caller the Users API lets in, or the answer that refuses the request (400/401, or 404). */
function oneUser(
	{engine, request, account, params: [id]}: RouteContext,
): {user: StoredUser; account: AccountState} | {refused: SandboxResponse} {
	const refused = refusal(engine, request, account, true);
	if (refused) {
		return {refused};
	}

	const user = account!.users.find(candidate => candidate.id === id);
	return user ? {user, account: account!} : {refused: lpError(engine, 404, `User ${id!} does not exist in account ${account!.accountId}.`, 404)};
}

function getUser(context: RouteContext): SandboxResponse {
	const found = oneUser(context);
	if ('refused' in found) {
		return found.refused;
	}

	return {status: 200, headers: {'ac-revision': String(found.account.revision)}, json: publicUser(found.user)};
}

/** PUT: the whole entity (Users API appendix), validated as on create; `id` stays, `passwordSh` sets the password. */
function updateUser(context: RouteContext): SandboxResponse {
	const {engine, request} = context;
	const one = forWrite(engine, request, oneUser(context));
	if ('refused' in one) {
		return one.refused;
	}

	const {user: found, account} = one;

	const entity = parseJson(request.body);
	const problem = validateNewUser(entity) ?? validatePlacement(account, entity as Record<string, unknown>);
	if (problem) {
		return lpError(engine, 400, problem, 400);
	}

	const fields = entity as Record<string, unknown> & {loginName: string};
	const taken = account.users.some(user =>
		user !== found && user.loginName.toLowerCase() === fields.loginName.toLowerCase());
	if (taken) {
		return lpError(engine, 400, `A user with loginName ${fields.loginName} already exists.`, 400);
	}

	const {passwordSh, id: _id, ...rest} = fields;
	const profileIds = (fields['profileIds'] as number[]).slice();
	const updated: StoredUser = {
		...structuredClone(rest) as StoredUser,
		id: found.id,
		profileIds,
		userTypeId: typeof fields['userTypeId'] === 'number' ? fields['userTypeId'] : found.userTypeId,
		isApiUser: fields['isApiUser'] === true,
		isAdmin: profileIds.some(profileId =>
			account.profiles.find(profile => profile.id === profileId)?.roleTypeId === adminRole),
		...(typeof passwordSh === 'string' ? {password: passwordSh} : (found.password === undefined ? {} : {password: found.password})),
	};
	account.users.splice(account.users.indexOf(found), 1, updated);
	account.revision++;
	return {status: 200, headers: {'ac-revision': String(account.revision)}, json: publicUser(updated)};
}

/** DELETE: the user goes, and with it every session it had. */
function deleteUser(context: RouteContext): SandboxResponse {
	const {engine, request} = context;
	const one = forWrite(engine, request, oneUser(context));
	if ('refused' in one) {
		return one.refused;
	}

	const {user: found, account} = one;

	account.users.splice(account.users.indexOf(found), 1);
	for (const [bearer, session] of engine.sessions) {
		if (session.accountId === account.accountId && session.userId === found.id) {
			engine.sessions.delete(bearer);
		}
	}

	account.revision++;
	return {status: 200, headers: {'ac-revision': String(account.revision)}, json: publicUser(found)};
}
