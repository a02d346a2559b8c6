import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {HttpError} from '../../source/errors.js';
import {createSandboxWorld} from '../support/world.js';

async function setup(t: TestContext) {
	const fixture = await createSandboxWorld({test: t});
	const domains = await fixture.api.domains('12345678');
	return {...fixture, domains};
}

test('signs in with a user name and password and reads the session', async t => {
	const {api, domains} = await setup(t);
	const before = Date.now();
	const session = await api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'});
	assert.equal(session.accountId, '12345678');
	assert.equal(session.loginName, 'admin');
	assert.equal(session.userId, '4100001');
	assert.equal(session.isAdmin, true);
	assert.ok(session.bearer.length > 10);
	assert.ok(session.csrf.length > 0);
	assert.ok(session.sessionId.length > 0);
	assert.ok(session.expiresAt >= before + 28_800_000);
	const agent = await api.login('12345678', domains, {username: 'agent', password: 'sandbox-agent-pass'});
	assert.equal(agent.isAdmin, false);
});

test('signs in a bot user with an API key', async t => {
	const {api, sandbox} = await setup(t);
	const domains = await api.domains('11223344');
	const account = sandbox.demo.accounts['11223344'];
	const session = await api.login('11223344', domains, {username: account.botLoginName!, credentials: {kind: 'oauth1', ...account.apiKey}});
	assert.equal(session.loginName, account.botLoginName);
});

test('reports a wrong password as 401 with a hint and without the password', async t => {
	const {api, domains, sandbox} = await setup(t);
	await assert.rejects(api.login('12345678', domains, {username: 'admin', password: 'wrong-password-value'}), (error: unknown) => {
		assert.ok(error instanceof HttpError);
		assert.equal(error.status, 401);
		assert.equal(error.exitCode, 4);
		// The Login Service's code, from its `{error: "…", internalCode}` body.
		assert.equal(error.code, '1001');
		assert.match(error.hint!, /user name and password of admin/);
		assert.ok(!`${error.message}${error.hint}`.includes('wrong-password-value'));
		return true;
	});
	assert.equal(sandbox.requests().filter(({path}) => path.endsWith('/login')).length, 1);
});

test('waits at least 5 s after a 429 on login', async t => {
	const {api, domains, sandbox, clock: {sleeps}} = await setup(t);
	sandbox.addFault({match: {path: '/login'}, kind: 'status', status: 429, retryAfter: 1, times: 1});
	sandbox.addFault({match: {path: '/login'}, kind: 'status', status: 429, times: 1});
	await api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'});
	assert.deepEqual(sleeps, [5000, 5000]);
});

test('retries login on 5xx and a reset, and fails when 5xx persists', async t => {
	const {api, domains, sandbox, clock: {sleeps}} = await setup(t);
	sandbox.addFault({match: {path: '/login'}, kind: 'status', status: 502, times: 1});
	sandbox.addFault({match: {path: '/login'}, kind: 'reset', times: 1});
	await api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'});
	assert.deepEqual(sleeps, [5000, 10_000]);
	sandbox.addFault({match: {path: '/login'}, kind: 'status', status: 500});
	await assert.rejects(api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'}), (error: unknown) =>
		error instanceof HttpError && error.status === 500);
});

test('times out, reports malformed JSON and honours abort on login', async t => {
	const {api, domains, sandbox, client} = await setup(t);
	const body = {username: 'admin', password: 'sandbox-admin-pass'};
	sandbox.addFault({match: {path: '/login'}, kind: 'malformed', times: 1});
	await assert.rejects(api.login('12345678', domains, body), (error: unknown) => error instanceof HttpError && /not the JSON/.test(error.message));
	sandbox.addFault({match: {path: '/login'}, kind: 'hang'});
	await assert.rejects(client({timeoutMs: 100}).login('12345678', domains, body), (error: unknown) => error instanceof HttpError && /no answer within 100 ms/.test(error.message));
	await assert.rejects(api.login('12345678', domains, body, {signal: AbortSignal.abort()}), {name: 'CancelledError'});
});

test('refreshes and logs out a session; a logged-out session is refused', async t => {
	const {api, domains} = await setup(t);
	const session = await api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'});
	await api.refresh(session, domains);
	await api.logout(session, domains);
	await assert.rejects(api.refresh(session, domains), (error: unknown) => {
		assert.ok(error instanceof HttpError);
		assert.equal(error.status, 401);
		assert.equal(error.code, '10');
		assert.match(error.hint!, /sign in again/);
		return true;
	});
	await assert.rejects(api.logout({...session, csrf: 'forged'}, domains), (error: unknown) => error instanceof HttpError && error.status === 401);
});

test('needs an agentVep domain', async t => {
	const {api} = await setup(t);
	await assert.rejects(api.login('12345678', {}, {username: 'admin', password: 'x'}), (error: unknown) =>
		error instanceof HttpError && /no agentVep domain/.test(error.message));
});
