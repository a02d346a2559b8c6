/*
LivePerson Functions management calls, host `faasUI`. LivePerson documents provisioning as a UI flow only, so this file
sends only calls lpf (LivePerson's own CLI, LivePersonInc/faas-cli) makes, as docs/contract.md lists them with their
commits: `/api/account/{id}{path}?userId={userId}` plus `&v=1` on V1 only, `Authorization: Bearer` from the Login
Service, V1 errors `{errorCode, errorMsg, errorLogs?}`, V2 errors `{code, message}`.
*/
import {malformedError} from './http.js';
import {assertAccountId, expectArray, isRecord, optionalString, serviceUrl, type ServiceContext} from './service.js';
import type {AllowedDomain, CallOptions, FunctionsContext, FunctionsProbe} from './types.js';

export {defaultAllowlistDomains, defaultAllowlistServices, detectFunctionsVersion} from './functions-defaults.js';

export {appKeyLimitCode} from './functions-defaults.js';

const hints = {
	401: 'The session has ended: sign in again (re-run the command).',
	403: 'The user lacks the FaaS-Admin permission for LivePerson Functions: sign in as a Conversational Cloud admin whose profile keeps it.',
} as const;

/**
The statuses a probe reads as "not answering yet" instead of failing: what they mean before provisioning is not
documented.
*/
const notYet = [400, 403, 404, 409, 412, 422, 423];

function url(context: ServiceContext, functions: FunctionsContext, path: string, what: string): string {
	const {session, domains, version} = functions;
	assertAccountId(session.accountId);
	const query = `userId=${encodeURIComponent(session.userId)}${version === 1 ? '&v=1' : ''}`;
	return serviceUrl(context, domains, 'faasUI', `/api/account/${session.accountId}${path}?${query}`, what);
}

/**
Lists the account's functions the way lpf does (V1 `GET /lambdas`, V2 `GET /functions`). Used only to watch for
Functions starting to answer for the account: a list means it answers; a 4xx is reported as not answering yet, with its
code.
*/
export async function probeFunctions(
	context: ServiceContext,
	functions: FunctionsContext,
	options: CallOptions = {},
): Promise<FunctionsProbe> {
	const path = functions.version === 1 ? '/lambdas' : '/functions';
	const what = `Listing the functions of account ${functions.session.accountId}`;
	const {status, body} = await context.http.send({
		method: 'GET',
		url: url(context, functions, path, what),
		what,
		auth: {bearer: functions.session.bearer},
		accept: notYet,
		hints,
		onRetry: options.onRetry,
		signal: options.signal,
	});
	if (status >= 200 && status < 300) {
		return {answering: true, status, functions: expectArray(body, what, status).length};
	}

	const code = isRecord(body) ? optionalString(body.errorCode) ?? optionalString(body.code) : undefined;
	return code === undefined ? {answering: false, status} : {answering: false, status, code};
}

/**
LivePerson rejects a duplicate allowlist entry (its allowlist rules) without documenting the answer: a 409, or a 4xx
whose code or message says duplicate or already, reads as "already listed". Any other 4xx stays a refusal.
*/
function isDuplicate(status: number, code: string | undefined, message: string | undefined): boolean {
	return status === 409 || /duplicat|already/i.test(`${code ?? ''} ${message ?? ''}`);
}

/**
lpf 1.x `add:domain` (V1 only): `POST /proxy-settings` `{timestamp: 0, domain, id: -1}` → `{domain, id, name}`. Not
retried on 5xx or a dropped connection. A 4xx is returned as a refusal (the docs say duplicates are rejected; the status
is not documented).
*/
export async function allowDomain(
	context: ServiceContext,
	functions: FunctionsContext,
	domain: string,
	options: CallOptions = {},
): Promise<AllowedDomain> {
	const what = `Allowlisting ${domain}`;
	const {status, body} = await context.http.send({
		method: 'POST',
		url: url(context, functions, '/proxy-settings', what),
		what,
		auth: {bearer: functions.session.bearer},
		body: {timestamp: 0, domain, id: -1},
		idempotent: false,
		accept: notYet,
		hints,
		onRetry: options.onRetry,
		signal: options.signal,
	});
	if (status < 200 || status >= 300) {
		const code = isRecord(body) ? optionalString(body.errorCode) ?? optionalString(body.code) : undefined;
		const message = isRecord(body) ? optionalString(body.errorMsg) ?? optionalString(body.message) : undefined;
		return {
			added: false,
			domain,
			status,
			...(code === undefined ? {} : {code}),
			...(message === undefined ? {} : {message}),
			duplicate: isDuplicate(status, code, message),
		};
	}

	const id = isRecord(body) ? Number(body.id) : Number.NaN;
	if (!isRecord(body) || !Number.isFinite(id) || typeof body.domain !== 'string') {
		throw malformedError(what, 'an allowlist entry without id or domain', status);
	}

	return {added: true, domain: body.domain, id};
}
