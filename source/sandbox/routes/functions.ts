import {type Engine, isRecord, methodNotAllowed, parseJson, type SandboxResponse} from '../http.js';
import type {RouteContext, RouteEntry} from '../router.js';
import {type AccountState, functionsActive, infrastructureState, provisionV1, type StoredUser} from '../state.js';
import {bearerSession} from './login.js';

type FunctionsContext = RouteContext & {readonly account: AccountState; readonly user: StoredUser};
type Handler = (context: FunctionsContext) => SandboxResponse;

/**
The Functions management calls lpf makes that lp-onboard sends (docs/contract.md "Functions"): V1 `GET /lambdas` and
`POST /proxy-settings` (`v=1`), V2 `GET /functions` (no `v`). Before the account is provisioned through the Functions UI
page they answer 404 with the sandbox's own "not provisioned" code: LivePerson documents nothing for that case.
*/
export const functionsRoutes: readonly RouteEntry[] = [
	...resource('lambdas', 1, /^\/lambdas$/, {GET: ({account}) => ({status: 200, json: structuredClone(account.lambdas)})}),
	...resource('functions', 2, /^\/functions$/, {GET: () => ({status: 200, json: []})}),
	...resource('proxy-settings', 1, /^\/proxy-settings$/, {POST: addProxySetting}),
];

/** The error body of each platform: V1 `{errorCode, errorMsg}`, V2 `{code, message}` (lpf's doFetch reads these). */
function faasError(version: number, status: number, code: string, message: string): SandboxResponse {
	return {status, json: version === 1 ? {errorCode: code, errorMsg: message} : {code, message}};
}

function resource(area: string, version: 1 | 2, path: RegExp, handlers: Record<string, Handler>): RouteEntry[] {
	const allowed = Object.keys(handlers).join(', ');
	const notAllowed: Handler = ({engine}) => ({...methodNotAllowed(engine, allowed), ...faasError(version, 405, 'com.liveperson.faas.sandbox.method-not-allowed', `Use ${allowed}.`)});
	return [
		...Object.entries(handlers).map(([method, handler]) => ({
			method, path, name: `functions.${area}.${method.toLowerCase()}`, handle: withFunctionsAuth(version, handler),
		})),
		{method: '*', path, name: `functions.${area}`, handle: withFunctionsAuth(version, notAllowed)},
	];
}

function withFunctionsAuth(version: 1 | 2, next: Handler): RouteEntry['handle'] {
	return context => {
		const {engine, request, account} = context;
		const session = bearerSession(engine, request.headers.authorization, account);
		const user = session && account?.users.find(candidate => candidate.id === session.userId);
		if (!account || !session || !user) {
			// lpf turns any 401 into "You are not authorized to perform this action, please check your permissions".
			return faasError(version, 401, '401', 'A valid bearer token of this account is required.');
		}

		if (!user.isAdmin) {
			return faasError(version, 401, '401', 'You are not authorized to perform this action, please check your permissions.');
		}

		if (account.functionsVersion !== version) {
			return faasError(version, 404, 'com.liveperson.faas.sandbox.not-found', `This account runs Functions V${account.functionsVersion}.`);
		}

		// lpf 1.x sends v=1; lpf 2.x sends no v.
		const v = request.searchParams.get('v');
		if (version === 1 ? v !== '1' : v !== null) {
			return faasError(version, 400, 'com.liveperson.faas.sandbox.bad-request', version === 1 ? 'Query parameter v=1 is required.' : 'Functions V2 takes no v parameter.');
		}

		if (request.searchParams.get('userId') !== session.userId) {
			return faasError(version, 400, 'com.liveperson.faas.sandbox.bad-request', 'Query parameter userId must be the logged-in user\'s id.');
		}

		if (!functionsActive(account, engine.now(), engine.infrastructureMs)) {
			return faasError(version, 404, 'com.liveperson.faas.sandbox.not-provisioned', 'LivePerson Functions is not provisioned for this account: an admin must do it in the Functions UI.');
		}

		return next({...context, account, user});
	};
}

/**
FQDN (RFC 1035 labels), at most one leading `*.`; a `:port` suffix is accepted because sandbox CSDS hosts carry one.
*/
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
	const body = parseJson(request.body);
	const domain = isRecord(body) ? body['domain'] : undefined;
	if (!isRecord(body) || body['id'] !== -1 || typeof domain !== 'string' || !isAllowedDomainPattern(domain)) {
		// lpf's code for a domain that is not valid.
		return faasError(1, 400, 'com.liveperson.faas.fm.validation.invalid-domain', `${JSON.stringify(domain)} is not a valid domain (a FQDN, optionally starting with one "*."); the body is {timestamp, domain, id: -1}.`);
	}

	const identity = (value: string) => value.toLowerCase().replace(/:\d+$/, '');
	if (account.allowlist.some(entry => identity(entry.domain) === identity(domain))) {
		return faasError(1, 400, 'com.liveperson.faas.sandbox.duplicate-domain', `${domain} is already allowlisted.`);
	}

	const entry = {id: Math.max(0, ...account.allowlist.map(({id}) => id)) + 1, domain, name: domain};
	account.allowlist.push(entry);
	return {status: 200, json: {...entry}};
}

/** Where the sandbox serves its stand-in for the Functions UI of an account. */
export const functionsUiPath = (accountId: string) => `/sandbox/functions-ui/${encodeURIComponent(accountId)}`;

/**
What the admin's click in the Functions UI does: V1 agreeing to the terms of use provisions at once; V2 starts the
one-time provisioning, which runs for the sandbox's scaled time. Returns false for an unknown account.
*/
export function acceptFunctionsUi(engine: Engine, accountId: string): boolean {
	const account = engine.accounts.get(accountId);
	if (!account) {
		return false;
	}

	if (account.functionsVersion === 1) {
		provisionV1(account, engine.port, new Date(engine.serverNow()).toISOString());
	} else if (account.infrastructureStartedAt === undefined) {
		account.infrastructureStartedAt = engine.now();
	}

	return true;
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** `GET` shows the page, `POST` is its form. Undefined when `path` is not a Functions UI page. */
export function answerFunctionsUi(engine: Engine, method: string, path: string): SandboxResponse | undefined {
	const match = /^\/sandbox\/functions-ui\/([^/]+)$/.exec(path);
	if (!match) {
		return undefined;
	}

	const accountId = decodeURIComponent(match[1]!);
	const account = engine.accounts.get(accountId);
	if (!account) {
		return {status: 404, headers: {'content-type': 'text/html; charset=utf-8'}, text: page('Unknown account', `<p>The sandbox has no account ${escape(accountId)}.</p>`)};
	}

	if (method === 'POST') {
		acceptFunctionsUi(engine, accountId);
	} else if (method !== 'GET') {
		return methodNotAllowed(engine, 'GET, POST');
	}

	const state = infrastructureState(account, engine.now(), engine.infrastructureMs);
	const form = (label: string) => `<form method="post" action="${functionsUiPath(accountId)}"><button type="submit">${label}</button></form>`;
	let body: string;
	if (functionsActive(account, engine.now(), engine.infrastructureMs)) {
		body = '<p id="state">LivePerson Functions is provisioned for this account.</p>';
	} else if (account.functionsVersion === 1) {
		body = '<h2>Terms of use</h2><p>By agreeing you provision LivePerson Functions for this account: the feature is activated, the default secrets are installed and the default domains are allowlisted.</p>'
			+ `<p id="state">Not provisioned.</p>${form('I agree')}`;
	} else if (state.state === 'running') {
		body = `<p id="state">Provisioning is running (${state.progress} %). It can take up to 10 minutes; this page tells you when it is done.</p>`;
	} else {
		body = `<p id="state">Not provisioned.</p><p>Provisioning is a one-time process that sets up the infrastructure and the default secret.</p>${form('Start provisioning')}`;
	}

	return {
		status: 200,
		headers: {'content-type': 'text/html; charset=utf-8'},
		text: page(`LivePerson Functions V${account.functionsVersion} — account ${escape(accountId)} (sandbox)`, body),
	};
}

function page(title: string, body: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>`
		+ `<p>This page is the lp-onboard sandbox's stand-in for the LivePerson Functions UI.</p>${body}</body></html>\n`;
}
