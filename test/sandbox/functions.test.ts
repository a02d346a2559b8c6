import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {defaultAllowlistDomains} from '../../source/liveperson/functions-defaults.js';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call, loginAs, serviceHost} from '../support/sandbox-client.js';

let sandbox: Sandbox;
let clock = 1_700_000_000_000;
const infrastructureMs = 1000;

before(async () => {
	sandbox = await startSandbox({now: () => clock, infrastructureMs});
});

after(async () => {
	await sandbox.close();
});

type Caller = (method: string, path: string, options?: {body?: unknown; query?: string}) => ReturnType<typeof call>;

/** lpf's calls: `?userId=` plus `&v=1` on V1 only. */
async function functionsAs(accountId: string, username: string, password: string, version: 1 | 2): Promise<Caller> {
	const {bearer, userId} = await loginAs(sandbox, accountId, username, password);
	return async (method, path, options = {}) => call(sandbox, `/api/account/${accountId}${path}?${options.query ?? `userId=${userId}${version === 1 ? '&v=1' : ''}`}`, {
		method,
		host: serviceHost(sandbox, 'faasUI'),
		headers: {authorization: `Bearer ${bearer}`},
		body: options.body,
	});
}

const form = async (accountId: string, method = 'POST') => {
	const response = await fetch(sandbox.functionsUiUrl(accountId), {method});
	return {status: response.status, type: response.headers.get('content-type'), html: await response.text()};
};

test('before provisioning, lpf\'s calls answer 404 with the sandbox\'s own code, in each version\'s error body', async () => {
	const v1 = await functionsAs('12345678', 'admin', 'sandbox-admin-pass', 1);
	const lambdas = await v1('GET', '/lambdas');
	assert.equal(lambdas.status, 404);
	assert.deepEqual(Object.keys(lambdas.json).sort(), ['errorCode', 'errorMsg']);
	assert.equal(lambdas.json.errorCode, 'com.liveperson.faas.sandbox.not-provisioned');
	assert.equal((await v1('POST', '/proxy-settings', {body: {timestamp: 0, domain: 'example.com', id: -1}})).status, 404);
	const v2 = await functionsAs('87654321', 'admin', 'sandbox-admin-pass', 2);
	const functions = await v2('GET', '/functions');
	assert.equal(functions.status, 404);
	assert.deepEqual(Object.keys(functions.json).sort(), ['code', 'message']);
});

test('refuses a missing bearer and a non-admin with lpf\'s 401, and a wrong v or userId with 400', async () => {
	const noBearer = await call(sandbox, '/api/account/12345678/lambdas?v=1&userId=1', {host: serviceHost(sandbox, 'faasUI')});
	assert.equal(noBearer.status, 401);
	const agent = await functionsAs('12345678', 'agent', 'sandbox-agent-pass', 1);
	assert.equal((await agent('GET', '/lambdas')).status, 401);
	const admin = await functionsAs('12345678', 'admin', 'sandbox-admin-pass', 1);
	assert.equal((await admin('GET', '/lambdas', {query: 'userId=4100001'})).status, 400, 'V1 needs v=1');
	assert.equal((await admin('GET', '/lambdas', {query: 'userId=1&v=1'})).status, 400, 'userId must be the session\'s');
	const v2 = await functionsAs('87654321', 'admin', 'sandbox-admin-pass', 2);
	assert.equal((await v2('GET', '/functions', {query: 'userId=4200001&v=2'})).status, 400, 'V2 takes no v');
	assert.equal((await admin('GET', '/functions')).status, 404, 'a V1 account has no V2 calls');
});

test('the V1 Functions UI page: terms of use; its form provisions the feature, both secrets and the 15 default domains', async () => {
	const page = await form('12345678', 'GET');
	assert.equal(page.status, 200);
	assert.match(page.type ?? '', /text\/html/);
	assert.match(page.html, /Terms of use/);
	assert.match(page.html, /<form method="post"/);
	assert.match((await form('12345678')).html, /is provisioned/);
	const state = sandbox.state('12345678');
	assert.equal(state.feature.active, true);
	assert.deepEqual([...state.systemSecrets].sort(), ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key']);
	assert.equal(state.allowlist.length, 15);
	assert.ok(state.allowlist.includes('va.faasgw.sandbox.test'), 'faasGW\'s host');
	// The sandbox states its facts in its own table; the client derives the same list from CSDS with its own.
	const domains = Object.fromEntries((await call(sandbox, '/api/account/12345678/service/baseURI.json?version=1.0')).json.baseURIs
		.map((entry: {service: string; baseURI: string}) => [entry.service, entry.baseURI]));
	assert.deepEqual([...state.allowlist].sort(), defaultAllowlistDomains(domains).sort());
	// A second submit changes nothing.
	await form('12345678');
	assert.equal(sandbox.state('12345678').allowlist.length, 15);
	const admin = await functionsAs('12345678', 'admin', 'sandbox-admin-pass', 1);
	const lambdas = await admin('GET', '/lambdas');
	assert.equal(lambdas.status, 200);
	assert.deepEqual(lambdas.json, []);
});

test('lpf\'s POST /proxy-settings: adds {domain, id, name}; refuses a duplicate and a bad domain with V1 bodies', async () => {
	const admin = await functionsAs('11223344', 'admin', 'sandbox-admin-pass', 1);
	const added = await admin('POST', '/proxy-settings', {body: {timestamp: 0, domain: 'api.example.com', id: -1}});
	assert.equal(added.status, 200);
	assert.deepEqual(Object.keys(added.json).sort(), ['domain', 'id', 'name']);
	const duplicate = await admin('POST', '/proxy-settings', {body: {timestamp: 0, domain: 'API.example.com', id: -1}});
	assert.equal(duplicate.status, 400);
	assert.equal(duplicate.json.errorCode, 'com.liveperson.faas.sandbox.duplicate-domain');
	const bad = await admin('POST', '/proxy-settings', {body: {timestamp: 0, domain: '*.*.example.com', id: -1}});
	assert.equal(bad.status, 400);
	assert.equal(bad.json.errorCode, 'com.liveperson.faas.fm.validation.invalid-domain');
	assert.equal((await admin('GET', '/proxy-settings')).status, 405, 'lpf has no call that reads the allowlist');
});

test('seeds 11223344 as provisioned, with the 15 default domains', () => {
	const state = sandbox.state('11223344');
	assert.equal(state.feature.active, true);
	assert.ok(state.allowlist.includes('va.faasgw.sandbox.test'));
	assert.ok(state.allowlist.length >= 15);
});

test('the V2 page\'s form starts provisioning, which finishes after the sandbox\'s scaled time; /functions answers only then', async () => {
	assert.match((await form('87654321', 'GET')).html, /Start provisioning/);
	assert.match((await form('87654321')).html, /Provisioning is running \(0 %\)/);
	const v2 = await functionsAs('87654321', 'admin', 'sandbox-admin-pass', 2);
	assert.equal((await v2('GET', '/functions')).status, 404);
	clock += infrastructureMs / 2;
	assert.match((await form('87654321', 'GET')).html, /running \(50 %\)/);
	assert.equal(sandbox.state('87654321').feature.active, false);
	clock += infrastructureMs;
	assert.equal((await v2('GET', '/functions')).status, 200);
	const state = sandbox.state('87654321');
	assert.equal(state.feature.active, true);
	assert.deepEqual(state.systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY']);
	assert.match((await form('87654321', 'GET')).html, /is provisioned/);
});

test('the page answers 404 for an unknown account and is neither logged nor faulted', async () => {
	const logged = sandbox.requests().length;
	assert.equal((await form('99999999', 'GET')).status, 404);
	assert.equal(sandbox.requests().length, logged);
});
