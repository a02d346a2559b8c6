import {malformedError} from './http.js';
import {assertAccountId, expectArray, isRecord, optionalString, serviceUrl, type ServiceContext} from './service.js';
import {type CredentialKind, splitKeys, usersApiVersion} from './credentials.js';
import type {Auth, CallOptions, Domains, NewUser, User} from './types.js';

function authKind(auth: Auth): CredentialKind | 'login' {
	if ('authorizer' in auth) {
		return auth.authorizer.kind;
	}

	return 'bearer' in auth ? 'login' : 'oauth1';
}

/** The users collection, or one user (`userId`), at the version the credentials call for. */
const usersPath = (accountId: string, auth: Auth, userId?: string) =>
	`/api/account/${accountId}/configuration/le-users/users${userId === undefined ? '' : `/${encodeURIComponent(userId)}`}?v=${usersApiVersion(authKind(auth))}`;

/**
The fields a list is asked for (`select`, get-all-users.md): what the bot step reads. The current page's default is all
fields, an older one's `id,pid,deleted,loginName`, which would drop the three that tell a usable bot.
*/
export const listedUserFields = ['id', 'loginName', 'userTypeId', 'isApiUser', 'allowedAppKeys'] as const;

const hints = {
	401: 'Check the credentials (client id and secret, or the four API key values), then re-run the wizard. With an API key, also check the computer\'s clock.',
	403: 'The credentials need the Users API: the application\'s users scopes, or the API key\'s Administration → Users permission.',
} as const;

/** Reads all users (host accountConfigReadOnly), their `listedUserFields`, with any of the credentials. */
export async function listUsers(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	auth: Auth,
	options: CallOptions = {},
): Promise<User[]> {
	assertAccountId(accountId);
	const what = `Listing the users of account ${accountId}`;
	const path = `${usersPath(accountId, auth)}&select=${listedUserFields.join(',')}`;
	const url = serviceUrl(context, domains, 'accountConfigReadOnly', path, what);
	const {status, body} = await context.http.send({method: 'GET', url, what, auth, hints, signal: options.signal});
	return expectArray(body, what, status).map(entry => toUser(entry, what, status));
}

/**
Creates one user (host accountConfigReadWrite). Not retried on 5xx or a dropped connection, since it may have been
created: callers list the users first.
*/
export async function createUser(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	auth: Auth,
	user: NewUser,
	options: CallOptions = {},
): Promise<User> {
	assertAccountId(accountId);
	const what = `Creating the user ${user.loginName} in account ${accountId}`;
	const url = serviceUrl(context, domains, 'accountConfigReadWrite', usersPath(accountId, auth), what);
	const {status, body} = await context.http.send({
		method: 'POST',
		url,
		what,
		auth,
		body: user,
		idempotent: false,
		hints: {
			...hints,
			400: `LivePerson refused the user: check that the login name ${user.loginName} is not taken and that a bot user lists its app key in allowedAppKeys.`,
		},
		signal: options.signal,
	});
	// Single object in, single object out; accept a one-element list too.
	return toUser(Array.isArray(body) ? body[0] : body, what, status);
}

/**
Adds `key` (an OAuth 2.0 client id, or an API key's app key) to a user's allowedAppKeys, so the bot lp-onboard made
with one kind of credentials logs in with the other. The Users API updates a whole entity: GET the user (host
accountConfigReadOnly, get-user-by-id.md) with the account's revision (`ac-revision`), then PUT it back with the key
added (host accountConfigReadWrite, update-user.md) and the revision as `If-Match`. Not retried on 5xx or a dropped
connection (a write); a user that already lists the key is left as it is.
*/
export async function allowUserKey(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	auth: Auth,
	userId: string,
	key: string,
	options: CallOptions = {},
): Promise<User> {
	assertAccountId(accountId);
	const path = usersPath(accountId, auth, userId);
	const reading = `Reading the user ${userId} of account ${accountId}`;
	const got = await context.http.send({
		method: 'GET', url: serviceUrl(context, domains, 'accountConfigReadOnly', path, reading), what: reading, auth, hints, signal: options.signal,
	});
	const user = toUser(got.body, reading, got.status);
	const keys = splitKeys(user.allowedAppKeys);
	if (keys.includes(key)) {
		return user;
	}

	const revision = got.headers['ac-revision'];
	const {id: _id, ...entity} = user;
	const writing = `Updating the allowed keys of the user ${userId} in account ${accountId}`;
	const {status, body} = await context.http.send({
		method: 'PUT',
		url: serviceUrl(context, domains, 'accountConfigReadWrite', path, writing),
		what: writing,
		auth,
		headers: typeof revision === 'string' ? {'if-match': revision} : {},
		body: {...entity, allowedAppKeys: [...keys, key].join(',')},
		idempotent: false,
		hints,
		signal: options.signal,
	});
	return toUser(Array.isArray(body) ? body[0] : body, writing, status);
}

function toUser(value: unknown, what: string, status: number): User {
	const id = isRecord(value) ? optionalString(value.id) : undefined;
	if (!isRecord(value) || id === undefined || typeof value.loginName !== 'string') {
		throw malformedError(what, 'a user without id or loginName', status);
	}

	return {...value, id, loginName: value.loginName};
}
