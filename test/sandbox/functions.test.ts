import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call, loginAs, serviceHost} from './helpers/client.js';

let sandbox: Sandbox;
let clock = 1_700_000_000_000;
const infrastructureMs = 1000;

before(async () => {
	sandbox = await startSandbox({now: () => clock, infrastructureMs});
});

after(async () => {
	await sandbox.close();
});

type Caller = (method: string, path: string, body?: unknown) => ReturnType<typeof call>;

async function functionsAs(accountId: string, username: string, password: string, version: number): Promise<Caller> {
	const {bearer, userId} = await loginAs(sandbox, accountId, username, password);
	return async (method, path, body) => call(sandbox, `/api/account/${accountId}${path}?v=${version}&userId=${userId}`, {
		method,
		host: serviceHost(sandbox, 'faasUI'),
		headers: {authorization: `Bearer ${bearer}`},
		body,
	});
}

const v1Admin = async () => functionsAs('12345678', 'admin', 'sandbox-admin-pass', 1);
const v2Admin = async () => functionsAs('87654321', 'admin', 'sandbox-admin-pass', 2);

test('refuses a non-admin on every Functions call with 403 com.liveperson.faas.forbidden', async () => {
	const agent = await functionsAs('12345678', 'agent', 'sandbox-agent-pass', 1);
	for (const [method, path, body] of [
		['GET', '/feature'], ['PUT', '/feature', {active: true}], ['GET', '/system-secrets/lp-faas-default-app-key'],
		['PUT', '/system-secrets/lp-faas-default-app-key'], ['GET', '/proxy-settings'], ['POST', '/proxy-settings', {timestamp: 0, domain: 'a.example.com', id: -1}],
		['GET', '/infrastructure'], ['POST', '/infrastructure'],
	] as const) {
		const reply = await agent(method, path, body);
		assert.equal(reply.status, 403, `${method} ${path}`);
		assert.equal(reply.json.code, 'com.liveperson.faas.forbidden');
		assert.equal(typeof reply.json.message, 'string');
	}

	const state = sandbox.state('12345678');
	assert.equal(state.feature.active, false);
	assert.deepEqual(state.systemSecrets, []);
	assert.deepEqual(state.allowlist, []);
});

test('refuses Functions calls without a valid bearer with 401', async () => {
	const reply = await call(sandbox, '/api/account/12345678/feature?v=1&userId=4100001', {headers: {authorization: 'Bearer nope'}});
	assert.equal(reply.status, 401);
	assert.equal(typeof reply.json.code, 'string');
	assert.equal((await call(sandbox, '/api/account/12345678/feature?v=1&userId=4100001')).status, 401);
});

test('refuses a v that does not match the account\'s Functions version, and a wrong userId', async () => {
	const {bearer, userId} = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	const headers = {authorization: `Bearer ${bearer}`};
	for (const query of [`v=2&userId=${userId}`, `userId=${userId}`, 'v=1&userId=999', 'v=1']) {
		const reply = await call(sandbox, `/api/account/12345678/feature?${query}`, {headers});
		assert.equal(reply.status, 400, query);
		assert.equal(reply.json.code, 'com.liveperson.faas.bad-request');
	}

	const {bearer: v2Bearer, userId: v2User} = await loginAs(sandbox, '87654321', 'admin', 'sandbox-admin-pass');
	const v2 = await call(sandbox, `/api/account/87654321/feature?v=1&userId=${v2User}`, {headers: {authorization: `Bearer ${v2Bearer}`}});
	assert.equal(v2.status, 400);
});

test('provisions a V1 account: feature, both system secrets idempotently, domains', async () => {
	const admin = await v1Admin();
	const postsBefore = sandbox.state('12345678').requests['functions.proxy-settings.post'] ?? 0;
	assert.deepEqual((await admin('GET', '/feature')).json, {active: false});
	const activated = await admin('PUT', '/feature', {active: true});
	assert.equal(activated.status, 200);
	assert.deepEqual(activated.json, {active: true});
	assert.deepEqual((await admin('GET', '/feature')).json, {active: true});

	for (const name of ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key']) {
		const missing = await admin('GET', `/system-secrets/${name}`);
		assert.equal(missing.status, 404, name);
		const created = await admin('PUT', `/system-secrets/${name}`);
		assert.equal(created.status, 201, name);
		assert.equal(created.json.key, name);
		assert.ok(created.json.privileges.length > 0);
		assert.equal(created.json.createdAt, new Date(clock).toISOString());
		assert.ok(!('value' in created.json));
		const again = await admin('PUT', `/system-secrets/${name}`);
		assert.equal(again.status, 200, name);
		assert.deepEqual(again.json, created.json);
		assert.deepEqual((await admin('GET', `/system-secrets/${name}`)).json, created.json);
	}

	assert.ok((await admin('GET', '/system-secrets/lp-faas-orchestrator-app-key')).json.privileges.includes('Functions API: Invoke'));
	const v2Secret = await admin('PUT', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY');
	assert.equal(v2Secret.status, 400);
	assert.equal((await admin('GET', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY')).status, 404);
	assert.equal((await admin('PUT', '/system-secrets/made-up')).status, 400);

	const domain = serviceHost(sandbox, 'agentVep');
	const added = await admin('POST', '/proxy-settings', {timestamp: 0, domain, id: -1});
	assert.equal(added.status, 200, added.text);
	assert.equal(added.json.domain, domain);
	assert.equal(typeof added.json.id, 'number');
	assert.equal(typeof added.json.name, 'string');
	const wildcard = await admin('POST', '/proxy-settings', {timestamp: 0, domain: '*.liveperson.com', id: -1});
	assert.equal(wildcard.status, 200);
	const list = await admin('GET', '/proxy-settings');
	assert.deepEqual(list.json, [added.json, wildcard.json]);

	const duplicate = await admin('POST', '/proxy-settings', {timestamp: 0, domain: domain.toUpperCase(), id: -1});
	assert.equal(duplicate.status, 409);
	assert.equal(typeof duplicate.json.code, 'string');
	for (const bad of ['*.*.liveperson.com', 'not a domain', 'localhost', '']) {
		const reply = await admin('POST', '/proxy-settings', {timestamp: 0, domain: bad, id: -1});
		assert.equal(reply.status, 400, bad);
	}

	const state = sandbox.state('12345678');
	assert.deepEqual(state.feature, {active: true});
	assert.deepEqual([...state.systemSecrets].sort(), ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key']);
	assert.deepEqual(state.allowlist, [domain, '*.liveperson.com']);
	assert.equal(state.requests['functions.proxy-settings.post'], postsBefore + 7);
});

test('has no infrastructure endpoint on a V1 account', async () => {
	const admin = await v1Admin();
	assert.equal((await admin('GET', '/infrastructure')).status, 404);
	assert.equal((await admin('POST', '/infrastructure')).status, 404);
});

test('seeds 11223344 as fully provisioned', async () => {
	const admin = await functionsAs('11223344', 'admin', 'sandbox-admin-pass', 1);
	assert.deepEqual((await admin('GET', '/feature')).json, {active: true});
	assert.equal((await admin('GET', '/system-secrets/lp-faas-default-app-key')).status, 200);
	assert.equal((await admin('GET', '/system-secrets/lp-faas-orchestrator-app-key')).status, 200);
	const domains = (await admin('GET', '/proxy-settings')).json.map((entry: {domain: string}) => entry.domain);
	assert.equal(domains.length, 14);
	assert.ok(domains.includes('va.msdkgw.sandbox.test'));
	assert.ok(!domains.includes('va.faasui.sandbox.test'));
	const again = await admin('POST', '/proxy-settings', {timestamp: 0, domain: 'va.swift.sandbox.test', id: -1});
	assert.equal(again.status, 409);
	const withPort = await admin('POST', '/proxy-settings', {timestamp: 0, domain: serviceHost(sandbox, 'swift'), id: -1});
	assert.equal(withPort.status, 409);
});

test('provisions a V2 account: infrastructure first, then the secret, then the feature', async () => {
	const admin = await v2Admin();
	assert.deepEqual((await admin('GET', '/infrastructure')).json, {state: 'none', progress: 0});

	const early = await admin('PUT', '/feature', {active: true});
	assert.equal(early.status, 409);
	assert.equal(early.json.code, 'com.liveperson.faas.self-service.pending');
	const earlySecret = await admin('PUT', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY');
	assert.equal(earlySecret.status, 409);
	assert.equal(earlySecret.json.code, 'com.liveperson.faas.self-service.pending');
	assert.equal((await admin('PUT', '/system-secrets/lp-faas-default-app-key')).status, 400);
	assert.equal((await admin('GET', '/proxy-settings')).status, 404);

	const started = await admin('POST', '/infrastructure');
	assert.equal(started.status, 202);
	assert.deepEqual(started.json, {state: 'running', progress: 0});

	clock += infrastructureMs * 0.25;
	const quarter = await admin('GET', '/infrastructure');
	assert.deepEqual(quarter.json, {state: 'running', progress: 25});
	const again = await admin('POST', '/infrastructure');
	assert.equal(again.status, 200);
	assert.deepEqual(again.json, {state: 'running', progress: 25});

	clock += infrastructureMs * 0.5;
	assert.deepEqual((await admin('GET', '/infrastructure')).json, {state: 'running', progress: 75});
	assert.equal((await admin('PUT', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY')).status, 409);
	assert.deepEqual(sandbox.state('87654321').infrastructure, {state: 'running', progress: 75});

	clock += infrastructureMs * 0.25;
	assert.deepEqual((await admin('GET', '/infrastructure')).json, {state: 'done', progress: 100});
	const done = await admin('POST', '/infrastructure');
	assert.equal(done.status, 200);
	assert.deepEqual(done.json, {state: 'done', progress: 100});

	const noSecretYet = await admin('PUT', '/feature', {active: true});
	assert.equal(noSecretYet.status, 409);
	assert.match(noSecretYet.json.message, /LIVEPERSON_DEFAULT_APP_KEY/);

	const secret = await admin('PUT', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY');
	assert.equal(secret.status, 201);
	assert.ok(secret.json.privileges.includes('Functions API: Invoke'));
	assert.equal((await admin('PUT', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY')).status, 200);

	const feature = await admin('PUT', '/feature', {active: true});
	assert.equal(feature.status, 200);
	assert.deepEqual(feature.json, {active: true});
	const state = sandbox.state('87654321');
	assert.deepEqual(state.feature, {active: true});
	assert.deepEqual(state.systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY']);
});

test('refuses a feature body that is not {active: boolean}', async () => {
	const admin = await v1Admin();
	assert.equal((await admin('PUT', '/feature', {active: 'yes'})).status, 400);
	assert.equal((await admin('PUT', '/feature', 'nope')).status, 400);
});
