/*
Fault matrix, client side: every LivePerson call × every fault the sandbox can inject (plus clock skew). Each cell asserts the
documented retry policy (source/liveperson/http.ts): a transient fault that hits once is retried and the call succeeds, with the
recorded pause; a fault that may not be retried (a 4xx, a malformed answer, a non-idempotent POST after it may have been
carried out) is one clear HttpError with a hint and the exit code cli.tsx maps it to.
*/
import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {exitCodes, HttpError} from '../../source/errors.js';
import {hints} from '../../source/liveperson/http.js';
import {retryPolicy} from '../../source/liveperson/retry-policy.js';
import type {LivePersonClient} from '../../source/liveperson/api.js';
import type {Domains, FunctionsContext} from '../../source/liveperson/types.js';
import type {Fault} from '../../source/sandbox/server.js';
import {createSandboxWorld, type SandboxWorld} from '../support/world.js';

/** Per-try timeout of the client that meets the fault: short so the matrix stays fast, long enough for a loopback answer under load. */
const faultTimeoutMs = 1500;

type Ready = {
	readonly fixture: SandboxWorld;
	readonly domains: Domains;
	readonly context: FunctionsContext;
};

type Call = {
	readonly name: string;
	readonly accountId: '12345678' | '87654321';
	readonly match: NonNullable<Fault['match']>;
	/** The sandbox route name (state().requests counts every try, faulted ones included). */
	readonly route: string;
	/** Retried on 5xx, reset and timeout. */
	readonly idempotent: boolean;
	/** Signs with OAuth 1.0 (the only calls a skewed clock can break). */
	readonly oauth: boolean;
	/** Login waits at least 5 s after a 429 (`retryPolicy.loginRateLimitFloorMs`). */
	readonly rateLimitFloorMs: number;
	/** CSDS answers 401/403/404 mean "account not found", not "authentication refused". */
	readonly csds?: boolean;
	invoke(api: LivePersonClient, ready: Ready): Promise<unknown>;
};

const demoKey = (ready: Ready, accountId: '12345678' | '87654321') => ready.fixture.sandbox.demo.accounts[accountId].apiKey;
const users = '/configuration/le-users/users';
let botCounter = 0;

const calls: Call[] = [
	{name: 'domains (CSDS)', accountId: '12345678', match: {path: '/baseURI'}, route: 'csds.all', idempotent: true, oauth: false, rateLimitFloorMs: 1000, csds: true,
		invoke: async api => api.domains('12345678')},
	{name: 'login', accountId: '12345678', match: {method: 'POST', path: '/login'}, route: 'login', idempotent: true, oauth: false, rateLimitFloorMs: 5000,
		invoke: async (api, {domains}) => api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'})},
	{name: 'refresh', accountId: '12345678', match: {method: 'POST', path: '/refresh'}, route: 'refresh', idempotent: true, oauth: false, rateLimitFloorMs: 1000,
		invoke: async (api, {context, domains}) => api.refresh(context.session, domains)},
	{name: 'logout', accountId: '12345678', match: {method: 'POST', path: '/logout'}, route: 'logout', idempotent: true, oauth: false, rateLimitFloorMs: 1000,
		invoke: async (api, {context, domains}) => api.logout(context.session, domains)},
	{name: 'listUsers (OAuth)', accountId: '12345678', match: {method: 'GET', path: users}, route: 'users.list', idempotent: true, oauth: true, rateLimitFloorMs: 1000,
		invoke: async (api, ready) => api.listUsers('12345678', ready.domains, {oauth: demoKey(ready, '12345678')})},
	{name: 'createUser (OAuth)', accountId: '12345678', match: {method: 'POST', path: users}, route: 'users.create', idempotent: false, oauth: true, rateLimitFloorMs: 1000,
		invoke: async (api, ready) => {
			const key = demoKey(ready, '12345678');
			const loginName = `fault-bot-${++botCounter}`;
			const {profiles, agentGroups} = ready.fixture.sandbox.demo.accounts['12345678'];
			return api.createUser('12345678', ready.domains, {oauth: key}, {
				loginName, fullName: loginName, nickname: loginName, email: `${loginName}@example.test`, isEnabled: true, maxChats: 0,
				profileIds: [profiles.find(profile => profile.roleTypeId === 2)!.id], memberOf: {agentGroupId: agentGroups[0]!.id},
				userTypeId: 2, isApiUser: true, allowedAppKeys: key.appKey,
			});
		}},
	{name: 'listProfiles (OAuth)', accountId: '12345678', match: {method: 'GET', path: '/le-users/profiles'}, route: 'profiles.list', idempotent: true, oauth: true, rateLimitFloorMs: 1000,
		invoke: async (api, ready) => api.listProfiles('12345678', ready.domains, {oauth: demoKey(ready, '12345678')})},
	{name: 'listAgentGroups (OAuth)', accountId: '12345678', match: {method: 'GET', path: '/le-users/agentGroups'}, route: 'agentGroups.list', idempotent: true, oauth: true, rateLimitFloorMs: 1000,
		invoke: async (api, ready) => api.listAgentGroups('12345678', ready.domains, {oauth: demoKey(ready, '12345678')})},
	{name: 'probeFunctions (V1 /lambdas)', accountId: '12345678', match: {method: 'GET', path: '/lambdas'}, route: 'functions.lambdas.get', idempotent: true, oauth: false, rateLimitFloorMs: 1000,
		invoke: async (api, {context}) => api.probeFunctions(context)},
	{name: 'allowDomain', accountId: '12345678', match: {method: 'POST', path: '/proxy-settings'}, route: 'functions.proxy-settings.post', idempotent: false, oauth: false, rateLimitFloorMs: 1000,
		invoke: async (api, {context}) => api.allowDomain(context, 'example.com')},
	{name: 'probeFunctions (V2 /functions)', accountId: '87654321', match: {method: 'GET', path: '/functions'}, route: 'functions.functions.get', idempotent: true, oauth: false, rateLimitFloorMs: 1000,
		invoke: async (api, {context}) => api.probeFunctions(context)},
];

type FaultCase = {
	readonly name: string;
	/** The fault, hitting the first matching request only (`times: 1`), so every retry policy has a second try that works. */
	readonly fault?: Omit<Fault, 'match' | 'times'>;
	readonly skewMs?: number;
	/** What a call that may retry it does: retried (with which pause), or fails at once. */
	expect(call: Call): {readonly kind: 'retried'; readonly sleptMs: number} | {readonly kind: 'ok'} | {
		readonly kind: 'error';
		readonly status: number | undefined;
		readonly exitCode: number;
		readonly hint: RegExp;
	};
};

const notRetried = /not retried because it may have been carried out/;
const firstPause = retryPolicy.serverErrorPausesMs[0];

const faultCases: FaultCase[] = [
	{name: 'latency beyond the timeout', fault: {kind: 'latency', ms: 30_000},
		expect: call => call.idempotent ? {kind: 'retried', sleptMs: firstPause} : {kind: 'error', status: undefined, exitCode: exitCodes.network, hint: notRetried}},
	{name: '500', fault: {kind: 'status', status: 500},
		expect: call => call.idempotent ? {kind: 'retried', sleptMs: firstPause} : {kind: 'error', status: 500, exitCode: exitCodes.network, hint: /retry later/}},
	{name: '503', fault: {kind: 'status', status: 503},
		expect: call => call.idempotent ? {kind: 'retried', sleptMs: firstPause} : {kind: 'error', status: 503, exitCode: exitCodes.network, hint: /retry later/}},
	{name: '429 with Retry-After: 2', fault: {kind: 'status', status: 429, retryAfter: 2},
		expect: call => ({kind: 'retried', sleptMs: Math.max(call.rateLimitFloorMs, 2000)})},
	{name: '429 without Retry-After', fault: {kind: 'status', status: 429},
		expect: call => ({kind: 'retried', sleptMs: call.rateLimitFloorMs})},
	{name: 'a connection reset', fault: {kind: 'reset'},
		expect: call => call.idempotent ? {kind: 'retried', sleptMs: firstPause} : {kind: 'error', status: undefined, exitCode: exitCodes.network, hint: notRetried}},
	{name: 'a hang', fault: {kind: 'hang'},
		expect: call => call.idempotent ? {kind: 'retried', sleptMs: firstPause} : {kind: 'error', status: undefined, exitCode: exitCodes.network, hint: notRetried}},
	{name: 'malformed JSON', fault: {kind: 'malformed'},
		expect: () => ({kind: 'error', status: 200, exitCode: exitCodes.network, hint: new RegExp(hints.malformed.slice(0, 40))})},
	{name: '401 mid-run', fault: {kind: 'status', status: 401},
		expect: call => call.csds
			? {kind: 'error', status: 404, exitCode: exitCodes.network, hint: /account id/}
			: {kind: 'error', status: 401, exitCode: exitCodes.auth, hint: /./}},
	{name: 'a server clock 10 minutes ahead (stale timestamp)', skewMs: 10 * 60_000,
		expect: call => call.oauth ? {kind: 'error', status: 401, exitCode: exitCodes.auth, hint: /clock/} : {kind: 'ok'}},
];

async function ready(t: TestContext, accountId: '12345678' | '87654321'): Promise<Ready> {
	const fixture = await createSandboxWorld({sandbox: {infrastructureMs: 0}, test: t});
	// Functions answers only once provisioned through its UI page.
	await fixture.sandbox.acceptFunctionsUi(accountId);
	const domains = await fixture.api.domains(accountId);
	const session = await fixture.api.login(accountId, domains, {username: 'admin', password: 'sandbox-admin-pass'});
	return {fixture, domains, context: {session, domains, version: accountId === '87654321' ? 2 : 1}};
}

describe('every client call under every fault', {concurrency: 4}, () => {
	for (const call of calls) {
		for (const faultCase of faultCases) {
			const expected = faultCase.expect(call);
			const outcome = expected.kind === 'error' ? `fails once with exit code ${expected.exitCode}` : (expected.kind === 'retried' ? 'is retried and succeeds' : 'succeeds');
			test(`${call.name} under ${faultCase.name} ${outcome}`, {timeout: 60_000}, async t => {
				const setup = await ready(t, call.accountId);
				const {fixture} = setup;
				const api = fixture.client({timeoutMs: faultTimeoutMs});
				if (faultCase.fault) {
					fixture.sandbox.addFault({...faultCase.fault, match: call.match, times: 1});
				}

				if (faultCase.skewMs !== undefined) {
					fixture.sandbox.setClockSkew(faultCase.skewMs);
				}

				const tries = () => fixture.sandbox.state(call.accountId).requests[call.route] ?? 0;
				const triesBefore = tries();
				const sleepsBefore = fixture.clock.sleeps.length;
				const result = await call.invoke(api, setup).then(value => ({value}), (error: unknown) => ({error}));
				const slept = fixture.clock.sleeps.slice(sleepsBefore);

				if (expected.kind === 'error') {
					assert.ok('error' in result, 'the call fails');
					const {error} = result;
					assert.ok(error instanceof HttpError, `an HttpError, not ${String(error)}`);
					assert.equal(error.status, expected.status);
					assert.equal(error.exitCode, expected.exitCode);
					assert.match(error.hint ?? '', expected.hint);
					assert.doesNotMatch(error.message, /authorization|bearer|sandbox-admin-pass/i, 'no credentials in the message');
					assert.equal(tries() - triesBefore, 1, 'tried once, never retried');
					assert.deepEqual(slept, []);
				} else {
					assert.ok('value' in result, `the call succeeds, not ${'error' in result ? String(result.error) : ''}`);
					const expectedTries = expected.kind === 'retried' ? 2 : 1;
					assert.equal(tries() - triesBefore, expectedTries);
					assert.deepEqual(slept, expected.kind === 'retried' ? [expected.sleptMs] : []);
				}
			});
		}
	}
});
