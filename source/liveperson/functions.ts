/*
LivePerson Functions provisioning. The LivePerson docs are silent: provisioning is UI-only and has no documented HTTP API.
Everything in this file is a GUESS that follows lpf 1.x's faasUI conventions (LivePersonInc/faas-cli 1.31.3,
`src/service/faas.service.ts`): host `faasUI`, `/api/account/{id}{path}?v={1|2}&userId={userId}`, `Authorization: Bearer`
from the Login Service, errors `{code, message}`. docs/contract.md lists the same guesses; keep both in step.
*/
import {malformedError} from './http.js';
import {assertAccountId, expectArray, expectRecord, isRecord, optionalString, serviceUrl, type ServiceContext} from './service.js';
import type {
	AllowedDomain,
	CallOptions,
	FunctionsContext,
	InfrastructureState,
	SystemSecret,
	SystemSecretName,
} from './types.js';

export {defaultAllowlistDomains, defaultAllowlistServices, detectFunctionsVersion} from './functions-defaults.js';

const hints = {
	401: 'The session has ended: sign in again (re-run the wizard).',
	403: 'Provisioning LivePerson Functions needs an account administrator: sign in with an admin user.',
	409: 'LivePerson is still setting up Functions for this account (this can take 10 minutes): run the same command again later.',
} as const;

type FunctionsCall = {
	readonly method: 'GET' | 'PUT' | 'POST';
	readonly path: string;
	readonly what: string;
	readonly body?: unknown;
	readonly idempotent?: boolean;
	readonly accept?: readonly number[];
	readonly hints?: Readonly<Partial<Record<number, string>>>;
};

async function send(context: ServiceContext, functions: FunctionsContext, call: FunctionsCall, options: CallOptions) {
	const {session, domains, version} = functions;
	assertAccountId(session.accountId);
	const what = `${call.what} (account ${session.accountId})`;
	const query = `v=${version}&userId=${encodeURIComponent(session.userId)}`;
	const url = serviceUrl(context, domains, 'faasUI', `/api/account/${session.accountId}${call.path}?${query}`, what);
	const response = await context.http.send({
		method: call.method,
		url,
		what,
		auth: {bearer: session.bearer},
		body: call.body,
		idempotent: call.idempotent,
		accept: call.accept,
		hints: {...hints, ...call.hints},
		signal: options.signal,
	});
	return {...response, what};
}

export async function getFeature(context: ServiceContext, functions: FunctionsContext, options: CallOptions = {}): Promise<{active: boolean}> {
	const {status, body, what} = await send(context, functions, {method: 'GET', path: '/feature', what: 'Reading the Functions feature'}, options);
	return {active: expectRecord(body, what, status).active === true};
}

/** V2 answers 409 `com.liveperson.faas.self-service.pending` until the infrastructure is done. */
export async function activateFeature(context: ServiceContext, functions: FunctionsContext, options: CallOptions = {}): Promise<void> {
	await send(context, functions, {method: 'PUT', path: '/feature', what: 'Activating Functions', body: {active: true}}, options);
}

export async function getSystemSecret(context: ServiceContext, functions: FunctionsContext, name: SystemSecretName, options: CallOptions = {}): Promise<SystemSecret | undefined> {
	const {status, body, what} = await send(context, functions, {
		method: 'GET',
		path: `/system-secrets/${encodeURIComponent(name)}`,
		what: `Reading the system secret ${name}`,
		accept: [404],
	}, options);
	return status === 404 ? undefined : toSecret(body, name, what, status);
}

/** The platform makes the key with the documented privileges; 201 when created, 200 when it already existed. */
export async function createSystemSecret(context: ServiceContext, functions: FunctionsContext, name: SystemSecretName, options: CallOptions = {}): Promise<SystemSecret> {
	const {status, body, what} = await send(context, functions, {
		method: 'PUT',
		path: `/system-secrets/${encodeURIComponent(name)}`,
		what: `Creating the system secret ${name}`,
	}, options);
	return toSecret(body, name, what, status);
}

export async function listAllowedDomains(context: ServiceContext, functions: FunctionsContext, options: CallOptions = {}): Promise<AllowedDomain[]> {
	const {status, body, what} = await send(context, functions, {method: 'GET', path: '/proxy-settings', what: 'Reading the domain allowlist'}, options);
	return expectArray(body, what, status).map(entry => toAllowedDomain(entry, what, status));
}

/** lpf 1.x `add:domain`. Not retried on 5xx or a dropped connection; a duplicate is a 409. */
export async function allowDomain(context: ServiceContext, functions: FunctionsContext, domain: string, options: CallOptions = {}): Promise<AllowedDomain> {
	const {status, body, what} = await send(context, functions, {
		method: 'POST',
		path: '/proxy-settings',
		what: `Allowlisting ${domain}`,
		body: {timestamp: 0, domain, id: -1},
		idempotent: false,
		hints: {409: `${domain} is already on the allowlist.`},
	}, options);
	return toAllowedDomain(body, what, status);
}

export async function getInfrastructure(context: ServiceContext, functions: FunctionsContext, options: CallOptions = {}): Promise<InfrastructureState> {
	const {status, body, what} = await send(context, functions, {method: 'GET', path: '/infrastructure', what: 'Reading the Functions infrastructure'}, options);
	return toInfrastructure(body, what, status);
}

/** Starting again while it runs (or after it is done) answers the current state, so this is retried like a read. */
export async function startInfrastructure(context: ServiceContext, functions: FunctionsContext, options: CallOptions = {}): Promise<InfrastructureState> {
	const {status, body, what} = await send(context, functions, {
		method: 'POST',
		path: '/infrastructure',
		what: 'Starting the Functions infrastructure',
		idempotent: true,
	}, options);
	return toInfrastructure(body, what, status);
}

function toSecret(value: unknown, name: string, what: string, status: number): SystemSecret {
	const record = expectRecord(value, what, status);
	const privileges = Array.isArray(record.privileges) ? record.privileges.filter(item => typeof item === 'string') : [];
	return {key: optionalString(record.key) ?? name, privileges, createdAt: optionalString(record.createdAt) ?? ''};
}

function toAllowedDomain(value: unknown, what: string, status: number): AllowedDomain {
	const id = isRecord(value) ? Number(value.id) : Number.NaN;
	if (!isRecord(value) || !Number.isFinite(id) || typeof value.domain !== 'string') {
		throw malformedError(what, 'an allowlist entry without id or domain', status);
	}

	const name = optionalString(value.name);
	return name === undefined ? {id, domain: value.domain} : {id, domain: value.domain, name};
}

const states = new Set(['none', 'running', 'done', 'failed']);

function toInfrastructure(value: unknown, what: string, status: number): InfrastructureState {
	const record = expectRecord(value, what, status);
	if (typeof record.state !== 'string' || !states.has(record.state)) {
		throw malformedError(what, 'an unknown infrastructure state', status);
	}

	const progress = Number(record.progress);
	return {
		state: record.state as InfrastructureState['state'],
		progress: Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0,
	};
}
