import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call, loginAs, serviceHost} from '../support/sandbox-client.js';

let sandbox: Sandbox;
let clock = 1_700_000_000_000;

before(async () => {
	sandbox = await startSandbox({now: () => clock});
});

after(async () => {
	await sandbox.close();
});

test('lists every service of an account with sandbox hosts on its own port', async () => {
	const reply = await call(sandbox, '/api/account/12345678/service/baseURI.json?version=1.0');
	assert.equal(reply.status, 200);
	const services = new Map<string, string>(reply.json.baseURIs.map((entry: {service: string; baseURI: string}) => [entry.service, entry.baseURI]));
	for (const service of ['accountConfigReadOnly', 'accountConfigReadWrite', 'agentVep', 'asyncMessaging', 'asyncMessagingEnt', 'engHistDomain', 'leDataReporting', 'msgHist', 'msgEwtAPI', 'rtbf', 'smt', 'pusher', 'msdkgw', 'swift', 'faasGW', 'faasUI', 'sentinel', 'liveEngageUI']) {
		assert.equal(services.get(service), `va.${service.toLowerCase()}.sandbox.test:${sandbox.port}`, service);
	}

	assert.ok(reply.json.baseURIs.every((entry: {account: string}) => entry.account === '12345678'));
});

test('gives a V2 account a faasGW host containing fninvocations', async () => {
	const reply = await call(sandbox, '/api/account/87654321/service/faasGW/baseURI.json?version=1.0');
	assert.equal(reply.status, 200);
	assert.deepEqual(reply.json, {service: 'faasGW', account: '87654321', baseURI: `va.fninvocations.sandbox.test:${sandbox.port}`});
	const v1 = await call(sandbox, '/api/account/12345678/service/faasGW/baseURI.json?version=1.0');
	assert.doesNotMatch(v1.json.baseURI, /fninvocations/);
});

test('answers one service and routes by path whatever the Host header says', async () => {
	const reply = await call(sandbox, '/api/account/12345678/service/agentVep/baseURI.json?version=1.0', {host: 'api.liveperson.net'});
	assert.equal(reply.status, 200);
	assert.deepEqual(reply.json, {service: 'agentVep', account: '12345678', baseURI: `va.agentvep.sandbox.test:${sandbox.port}`});
});

test('returns an empty list for an unknown account and 404 for one of its services', async () => {
	const all = await call(sandbox, '/api/account/99999999/service/baseURI.json?version=1.0');
	assert.equal(all.status, 200);
	assert.deepEqual(all.json, {baseURIs: []});
	const one = await call(sandbox, '/api/account/99999999/service/agentVep/baseURI.json?version=1.0');
	assert.equal(one.status, 404);
	const service = await call(sandbox, '/api/account/12345678/service/noSuchService/baseURI.json?version=1.0');
	assert.equal(service.status, 404);
	assert.equal(service.json.error.responseStatus, 'NOT_FOUND');
});

test('refuses CSDS calls without version=1.0 or with a malformed account id', async () => {
	assert.equal((await call(sandbox, '/api/account/12345678/service/baseURI.json')).status, 400);
	assert.equal((await call(sandbox, '/api/account/12345678/service/baseURI.json?version=2.0')).status, 400);
	const bad = await call(sandbox, '/api/account/12%2D34/service/baseURI.json?version=1.0');
	assert.equal(bad.status, 400);
	assert.equal(typeof bad.json.error.time, 'number');
	assert.equal(bad.json.error.responseStatus, 'BAD_REQUEST');
});

test('logs an admin in with the documented body, a Session_id cookie and isAdmin', async () => {
	const {admin} = sandbox.demo.accounts['12345678'];
	const {reply, bearer, csrf} = await loginAs(sandbox, '12345678', admin.loginName, admin.password);
	assert.match(String(reply.headers['set-cookie']), /^Session_id=[^;]+;/);
	assert.ok(bearer.length >= 32);
	assert.ok(csrf.length >= 16);
	assert.equal(reply.json.sessionTTl, '28800000');
	assert.equal(typeof reply.json.wsuk, 'string');
	assert.deepEqual(
		{loginName: reply.json.config.loginName, userId: reply.json.config.userId, isAdmin: reply.json.config.isAdmin},
		{loginName: 'admin', userId: admin.userId, isAdmin: true},
	);
	assert.equal(reply.json.config.serverCurrentTime, clock);
	// lpf stores the body's sessionId and refreshes with it; node-agent-sdk takes its agentId from config.userPid.
	assert.equal(`Session_id=${reply.json.sessionId as string}`, /^Session_id=[^;]+/.exec(String(reply.headers['set-cookie']))![0]);
	assert.match(reply.json.config.userPid, /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/);
	const again = await loginAs(sandbox, '12345678', admin.loginName, admin.password);
	assert.equal(again.reply.json.config.userPid, reply.json.config.userPid);
	assert.notEqual(again.reply.json.sessionId, reply.json.sessionId);
	assert.ok(reply.json.csdsCollectionResponse.baseURIs.some((entry: {service: string}) => entry.service === 'agentVep'));
});

test('logs the agent in as a non-admin', async () => {
	const agent = sandbox.demo.accounts['12345678'].agent!;
	const {reply} = await loginAs(sandbox, '12345678', agent.loginName, agent.password);
	assert.equal(reply.json.config.isAdmin, false);
});

test('refuses a wrong password, an unknown user and an unknown account with 401 and node-agent-sdk\'s error shape', async () => {
	const path = '/api/account/12345678/login?v=1.3';
	for (const [accountPath, body] of [
		[path, {username: 'admin', password: 'wrong'}],
		[path, {username: 'nobody', password: 'sandbox-admin-pass'}],
		['/api/account/99999999/login?v=1.3', {username: 'admin', password: 'sandbox-admin-pass'}],
	] as const) {
		const reply = await call(sandbox, accountPath, {method: 'POST', body});
		assert.equal(reply.status, 401, JSON.stringify(body));
		// A string error with internalCode beside it: what node-agent-sdk's ExternalServices.js builds its SDKError from.
		assert.match(reply.json.error, /^Authentication failed/);
		assert.equal(reply.json.internalCode, 1001);
	}
});

test('refuses a login without v=1.3 or with a bad body with 400', async () => {
	const body = {username: 'admin', password: 'sandbox-admin-pass'};
	assert.equal((await call(sandbox, '/api/account/12345678/login', {method: 'POST', body})).status, 400);
	assert.equal((await call(sandbox, '/api/account/12345678/login?v=1.2', {method: 'POST', body})).status, 400);
	assert.equal((await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: '{"username":'})).status, 400);
	assert.equal((await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin'}})).status, 400);
	assert.equal((await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'GET'})).status, 405);
});

test('refreshes a session with csrf and cookie, and refuses a wrong csrf with the CSRF body', async () => {
	const {cookie, csrf} = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	const host = serviceHost(sandbox, 'agentVep');
	const ok = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', host, headers: {cookie}, body: {csrf}});
	assert.equal(ok.status, 200);
	assert.equal(ok.text, '');

	const wrong = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', host, headers: {cookie}, body: {csrf: 'nope'}});
	assert.equal(wrong.status, 401);
	assert.match(wrong.json.error.message, /^CSRF token invalid!/);
	assert.equal(wrong.json.error.internalCode, 10);
	assert.equal(wrong.json.error.responseStatus, 'UNAUTHORIZED');

	// lpf's spelling: `Cookie: session_id=<the body's sessionId>`.
	const {reply: lpfLogin} = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	const lpfCookie = `session_id=${lpfLogin.json.sessionId as string}`;
	const lpf = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', host, headers: {cookie: lpfCookie}, body: {csrf: lpfLogin.json.csrf}});
	assert.equal(lpf.status, 200);

	const noCookie = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', host, body: {csrf}});
	assert.equal(noCookie.status, 401);
	const otherAccount = await call(sandbox, '/api/account/87654321/refresh', {method: 'POST', host, headers: {cookie}, body: {csrf}});
	assert.equal(otherAccount.status, 401);
});

test('logs out: the session is gone for refresh and for bearer calls', async () => {
	const {cookie, csrf, bearer, userId} = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	const before = sandbox.state('12345678').sessions;
	const out = await call(sandbox, '/api/account/12345678/logout', {method: 'POST', headers: {cookie}, body: {csrf}});
	assert.equal(out.status, 200);
	assert.equal(sandbox.state('12345678').sessions, before - 1);
	const refresh = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', headers: {cookie}, body: {csrf}});
	assert.equal(refresh.status, 401);
	const lambdas = await call(sandbox, `/api/account/12345678/lambdas?v=1&userId=${userId}`, {headers: {authorization: `Bearer ${bearer}`}});
	assert.equal(lambdas.status, 401);
});

test('expires sessions after sessionTTl and extends them on refresh', async () => {
	const first = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	const second = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	clock += 28_000_000;
	const refreshed = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', headers: {cookie: second.cookie}, body: {csrf: second.csrf}});
	assert.equal(refreshed.status, 200);
	clock += 1_000_000;
	const users = (bearer: string) => call(sandbox, '/api/account/12345678/configuration/le-users/users?v=4.0', {headers: {authorization: `Bearer ${bearer}`}});
	assert.equal((await users(first.bearer)).status, 401);
	assert.equal((await users(second.bearer)).status, 200);
	const expired = await call(sandbox, '/api/account/12345678/refresh', {method: 'POST', headers: {cookie: first.cookie}, body: {csrf: first.csrf}});
	assert.equal(expired.status, 401);
});
