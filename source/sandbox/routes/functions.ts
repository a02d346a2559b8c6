import {isRecord, methodNotAllowed, parseJson, type SandboxResponse} from '../http.js';
import type {RouteContext, RouteEntry} from '../router.js';
import {isSystemSecretName, systemSecretSpecs} from '../seed.js';
import {type AccountState, infrastructureState, type StoredUser} from '../state.js';
import {bearerSession} from './login.js';

type FunctionsContext = RouteContext & {readonly account: AccountState; readonly user: StoredUser};
type Handler = (context: FunctionsContext) => SandboxResponse;

/**
The Functions provisioning endpoints (docs/contract.md "Functions"): one group of rows per resource, each method behind the
admin bearer check; a method the resource does not take is answered after that check, as the gateway does.
*/
export const functionsRoutes: readonly RouteEntry[] = [
	...resource('feature', /^\/feature$/, {
		GET: ({account}) => ({status: 200, json: {active: account.featureActive}}),
		PUT: putFeature,
	}),
	...resource('system-secrets', /^\/system-secrets\/([^/]+)$/, {
		GET: getSystemSecret,
		PUT: putSystemSecret,
	}),
	...resource('proxy-settings', /^\/proxy-settings$/, {
		GET: ({account}) => account.functionsVersion === 1
			? {status: 200, json: account.allowlist.map(entry => ({...entry}))}
			: faasError(404, 'com.liveperson.faas.not-found', 'Proxy settings are a Functions V1 feature.'),
		POST: addProxySetting,
	}),
	...resource('infrastructure', /^\/infrastructure$/, {
		GET: ({engine, account}) => account.functionsVersion === 2
			? {status: 200, json: infrastructureState(account, engine.now(), engine.infrastructureMs)}
			: faasError(404, 'com.liveperson.faas.not-found', 'Infrastructure provisioning is a Functions V2 feature.'),
		POST: startInfrastructure,
	}),
];

function resource(area: string, path: RegExp, handlers: Record<string, Handler>): RouteEntry[] {
	const allowed = Object.keys(handlers).join(', ');
	const notAllowed: Handler = ({engine}) => ({...methodNotAllowed(engine, allowed), json: faasBody('com.liveperson.faas.method-not-allowed', `Use ${allowed}.`)});
	return [
		...Object.entries(handlers).map(([method, handler]) => ({
			method, path, name: `functions.${area}.${method.toLowerCase()}`, handle: withFunctionsAuth(handler),
		})),
		{method: '*', path, name: `functions.${area}`, handle: withFunctionsAuth(notAllowed)},
	];
}

function withFunctionsAuth(next: Handler): RouteEntry['handle'] {
	return context => {
		const {engine, request, account} = context;
		const session = bearerSession(engine, request.headers.authorization, account);
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

		return next({...context, account, user});
	};
}

function putFeature({engine, request, account}: FunctionsContext): SandboxResponse {
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

function getSystemSecret({account, params: [name]}: FunctionsContext): SandboxResponse {
	const known = secretFor(account, name!);
	const stored = known && account.systemSecrets.get(known);
	if (!known || !stored) {
		return faasError(404, 'com.liveperson.faas.secret.not-found', `System secret ${name!} does not exist.`);
	}

	return {status: 200, json: {key: known, privileges: [...systemSecretSpecs[known].privileges], createdAt: stored.createdAt}};
}

function putSystemSecret({engine, account, params: [name]}: FunctionsContext): SandboxResponse {
	const known = secretFor(account, name!);
	if (!known) {
		return faasError(400, 'com.liveperson.faas.bad-request', `${name!} is not a system secret of Functions V${account.functionsVersion}.`);
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

function addProxySetting({request, account}: FunctionsContext): SandboxResponse {
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

function startInfrastructure({engine, account}: FunctionsContext): SandboxResponse {
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

function pending(message: string): SandboxResponse {
	return faasError(409, 'com.liveperson.faas.self-service.pending', message);
}

function faasBody(code: string, message: string) {
	return {code, message};
}

function faasError(status: number, code: string, message: string): SandboxResponse {
	return {status, json: faasBody(code, message)};
}
