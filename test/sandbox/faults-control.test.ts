import assert from 'node:assert/strict';
import {once} from 'node:events';
import {type IncomingMessage, request as httpRequest} from 'node:http';
import {after, before, beforeEach, test} from 'node:test';
import {formatDemo, type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call, serviceHost} from '../support/sandbox-client.js';

let sandbox: Sandbox;
const csdsPath = '/api/account/12345678/service/baseURI.json?version=1.0';

before(async () => {
	sandbox = await startSandbox();
});

after(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.clearFaults();
});

/** A request that resolves with how it ended, so resets and hangs can be observed without undici's retries. */
async function rawGet(target: Pick<Sandbox, 'port'>, path: string, signal?: AbortSignal) {
	const request = httpRequest({host: '127.0.0.1', port: target.port, path, agent: false, signal});
	request.end();
	try {
		const [response] = await once(request, 'response') as [IncomingMessage];
		let text = '';
		for await (const chunk of response) {
			text += String(chunk);
		}

		return {status: response.statusCode, text, error: undefined};
	} catch (error) {
		return {status: undefined, text: '', error: error as NodeJS.ErrnoException};
	}
}

test('answers a status fault with that status, an error body and Retry-After', async () => {
	sandbox.addFault({kind: 'status', status: 503, retryAfter: 7, times: 1});
	const faulted = await call(sandbox, csdsPath);
	assert.equal(faulted.status, 503);
	assert.equal(faulted.headers['retry-after'], '7');
	assert.equal(faulted.json.error.responseStatus, 'SERVICE_UNAVAILABLE');
	assert.equal((await call(sandbox, csdsPath)).status, 200);
});

test('hits only matching requests, as many times as asked, in the order faults were added', async () => {
	sandbox.addFault({match: {method: 'POST', path: '/login'}, kind: 'status', status: 429, times: 2});
	sandbox.addFault({match: {path: '/login'}, kind: 'status', status: 500});
	assert.equal((await call(sandbox, csdsPath)).status, 200);
	const login = async () => call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
	assert.equal((await login()).status, 429);
	assert.equal((await login()).status, 429);
	assert.equal((await login()).status, 500);
	sandbox.clearFaults();
	assert.equal((await login()).status, 200);
});

test('matches faults on a substring of the Host header', async () => {
	sandbox.addFault({match: {host: 'agentvep'}, kind: 'status', status: 500});
	assert.equal((await call(sandbox, csdsPath, {host: serviceHost(sandbox, 'accountConfigReadOnly')})).status, 200);
	assert.equal((await call(sandbox, csdsPath, {host: serviceHost(sandbox, 'agentVep')})).status, 500);
});

test('resets the connection without an answer', async () => {
	sandbox.addFault({kind: 'reset', times: 1});
	const result = await rawGet(sandbox, csdsPath);
	assert.equal(result.status, undefined);
	assert.equal(result.error?.code, 'ECONNRESET');
	assert.equal((await rawGet(sandbox, csdsPath)).status, 200);
	const logged = sandbox.requests().filter(entry => entry.path === '/api/account/12345678/service/baseURI.json');
	assert.deepEqual(logged.slice(-2).map(entry => entry.status), [0, 200]);
});

test('answers a malformed fault with 200 and JSON that does not parse', async () => {
	sandbox.addFault({kind: 'malformed', times: 1});
	const reply = await call(sandbox, csdsPath);
	assert.equal(reply.status, 200);
	assert.match(String(reply.headers['content-type']), /application\/json/);
	assert.throws(() => JSON.parse(reply.text) as unknown, SyntaxError);
});

test('delays the normal answer on a latency fault', async () => {
	sandbox.addFault({kind: 'latency', ms: 300, times: 1});
	const received = sandbox.state('12345678').requests['csds.all'] ?? 0;
	const answered = sandbox.requests().length;
	const pending = call(sandbox, csdsPath);
	while ((sandbox.state('12345678').requests['csds.all'] ?? 0) === received) {
		await new Promise(resolve => setImmediate(resolve));
	}

	// Received but not yet answered.
	assert.equal(sandbox.requests().length, answered);
	const reply = await pending;
	assert.equal(reply.status, 200);
	assert.ok(Array.isArray(reply.json.baseURIs));
	assert.equal(sandbox.requests().length, answered + 1);
});

test('never answers a hanging request, and close() ends it', async () => {
	const own = await startSandbox();
	own.addFault({kind: 'hang'});
	const pending = rawGet(own, csdsPath);
	let settled = false;
	void pending.then(() => {
		settled = true;
	});
	// A request after the hang still reaches the server (and hangs too); the first one is still open.
	const controller = new AbortController();
	const second = rawGet(own, csdsPath, controller.signal);
	while (own.requests().length < 2) {
		await new Promise(resolve => setImmediate(resolve));
	}

	assert.equal(settled, false);
	controller.abort();
	await second;
	await own.close();
	const result = await pending;
	assert.equal(result.status, undefined);
	assert.ok(result.error);
});

test('counts faulted requests per route in the account state', async () => {
	const before = sandbox.state('12345678').requests['csds.all'] ?? 0;
	sandbox.addFault({kind: 'status', status: 500, times: 1});
	await call(sandbox, csdsPath);
	await call(sandbox, csdsPath);
	assert.equal(sandbox.state('12345678').requests['csds.all'], before + 2);
});

test('refuses invalid faults', () => {
	assert.throws(() => sandbox.addFault({kind: 'explode' as 'hang'}), {name: 'TypeError', message: /^Invalid fault: kind must be one of /});
	assert.throws(() => sandbox.addFault({kind: 'status', status: 42}), {name: 'TypeError', message: 'Invalid fault: status must be an HTTP status code'});
	assert.throws(() => sandbox.addFault({kind: 'latency', ms: -1}), {name: 'TypeError', message: /^Invalid fault: ms must be a non-negative number/});
});

test('adds and clears faults over the HTTP control surface, which faults never hit', async () => {
	const added = await call(sandbox, '/__sandbox/faults', {method: 'POST', body: {kind: 'status', status: 502}});
	assert.equal(added.status, 201);
	assert.equal(typeof added.json.id, 'string');
	assert.equal((await call(sandbox, csdsPath)).status, 502);
	assert.equal((await call(sandbox, '/__sandbox/faults')).json.length, 1);
	assert.equal((await call(sandbox, '/__sandbox/faults', {method: 'DELETE'})).status, 204);
	assert.equal((await call(sandbox, csdsPath)).status, 200);
	assert.equal((await call(sandbox, '/__sandbox/faults', {method: 'POST', body: {kind: 'nope'}})).status, 400);
});

test('reports account state over the control surface and 404 for an unknown account', async () => {
	const reply = await call(sandbox, '/__sandbox/state/87654321');
	assert.equal(reply.status, 200);
	assert.equal(reply.json.functionsVersion, 2);
	assert.deepEqual(reply.json.infrastructure, {state: 'none', progress: 0});
	assert.deepEqual(reply.json.apiKeys, [{appKey: sandbox.demo.accounts['87654321'].apiKey.appKey}]);
	assert.equal((await call(sandbox, '/__sandbox/state/99999999')).status, 404);
	assert.throws(() => sandbox.state('99999999'), {message: 'The sandbox has no account 99999999.'});
});

test('sets the clock skew over the control surface', async () => {
	const reply = await call(sandbox, '/__sandbox/clock-skew', {method: 'POST', body: {ms: 3_600_000}});
	assert.equal(reply.status, 200);
	const login = await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
	assert.ok(login.json.config.serverCurrentTime - Date.now() > 3_500_000);
	assert.equal((await call(sandbox, '/__sandbox/clock-skew', {method: 'POST', body: {ms: 'soon'}})).status, 400);
	sandbox.setClockSkew(0);
});

test('returns deep copies from state() and requests()', async () => {
	const snapshot = sandbox.state('12345678');
	(snapshot.users as unknown as unknown[]).pop();
	assert.equal(sandbox.state('12345678').users.length, snapshot.users.length + 1);
	const log = sandbox.requests();
	assert.ok(log.every(entry => !entry.path.startsWith('/__sandbox/')));
});

test('answers 404 with the error body for a path it does not know', async () => {
	const reply = await call(sandbox, '/nothing/here');
	assert.equal(reply.status, 404);
	assert.equal(reply.json.error.responseStatus, 'NOT_FOUND');
});

test('prints the URL, every account, the logins and the demo API keys', () => {
	const text = formatDemo(sandbox).join('\n');
	assert.ok(text.includes(sandbox.url));
	for (const account of Object.values(sandbox.demo.accounts)) {
		assert.ok(text.includes(`Account ${account.accountId}`));
		assert.ok(text.includes(`Functions UI page: ${sandbox.functionsUiUrl(account.accountId)}`));
		for (const value of Object.values(account.apiKey)) {
			assert.ok(value.length >= 20);
			assert.ok(text.includes(value));
		}
	}

	assert.ok(text.includes('admin / sandbox-admin-pass (admin)'));
	assert.ok(text.includes('agent / sandbox-agent-pass'));
});

test('keeps state apart between sandbox instances', async () => {
	const other = await startSandbox();
	try {
		await call(other, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
		assert.notEqual(other.port, sandbox.port);
		assert.equal(other.state('12345678').sessions, 1);
		assert.deepEqual(other.demo, sandbox.demo);
	} finally {
		await other.close();
	}
});

test('the demo banner says whether Functions is active now, not as seeded', async () => {
	const fresh = await startSandbox();
	try {
		assert.match(formatDemo(fresh).join('\n'), /Account 12345678 \(V1, Functions not provisioned\)/);
		assert.match(formatDemo(fresh).join('\n'), /Account 11223344 \(V1, Functions active\)/);
		await fresh.acceptFunctionsUi('12345678');
		assert.match(formatDemo(fresh).join('\n'), /Account 12345678 \(V1, Functions active\)/);
	} finally {
		await fresh.close();
	}
});
