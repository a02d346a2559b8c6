import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call} from '../support/sandbox-client.js';

// Control routes change what the sandbox does; a web page in the user's browser must not reach them (issue 10.10).

let sandbox: Sandbox;

before(async () => {
	sandbox = await startSandbox();
});

after(async () => {
	await sandbox.close();
});

const fault = JSON.stringify({kind: 'status', status: 500});
const faultCount = async () => (await call(sandbox, '/__sandbox/faults')).json.length as number;

test('refuses a cross-origin text/plain POST, the kind a web page sends without a preflight', async () => {
	const reply = await call(sandbox, '/__sandbox/faults', {
		method: 'POST', body: fault, headers: {'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example'},
	});
	assert.equal(reply.status, 403);
	assert.equal(await faultCount(), 0);
});

test('refuses another origin even with a JSON body', async () => {
	const reply = await call(sandbox, '/__sandbox/faults', {method: 'POST', body: fault, headers: {'content-type': 'application/json', origin: 'http://localhost:1'}});
	assert.equal(reply.status, 403);
	assert.equal((await call(sandbox, '/__sandbox/faults', {method: 'DELETE', headers: {origin: 'null'}})).status, 403);
	assert.equal(await faultCount(), 0);
});

test('refuses a body that is not JSON from the same machine too', async () => {
	for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
		const reply = await call(sandbox, '/__sandbox/clock-skew', {method: 'POST', body: '{"ms": 5}', headers: {'content-type': contentType}});
		assert.equal(reply.status, 415, contentType);
	}

	assert.equal((await call(sandbox, '/__sandbox/faults', {method: 'POST', body: fault})).status, 415);
	assert.equal(await faultCount(), 0);
});

test('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
	for (const host of ['evil.example', `evil.example:${sandbox.port}`, `va.agentvep.sandbox.test:${sandbox.port}`]) {
		const reply = await call(sandbox, '/__sandbox/faults', {method: 'POST', host, body: fault, headers: {'content-type': 'application/json'}});
		assert.equal(reply.status, 403, host);
	}

	assert.equal((await call(sandbox, '/__sandbox/requests', {host: 'evil.example'})).status, 403);
	assert.equal(await faultCount(), 0);
});

test('takes JSON from the sandbox\'s own origin and from tools that send no Origin', async () => {
	const sameOrigin = await call(sandbox, '/__sandbox/faults', {
		method: 'POST', body: fault, headers: {'content-type': 'application/json; charset=utf-8', origin: sandbox.url},
	});
	assert.equal(sameOrigin.status, 201);
	assert.equal((await call(sandbox, '/__sandbox/faults', {method: 'POST', host: `localhost:${sandbox.port}`, body: {kind: 'latency', ms: 1}})).status, 201);
	assert.equal(await faultCount(), 2);
	assert.equal((await call(sandbox, '/__sandbox/faults', {method: 'DELETE'})).status, 204);
	assert.equal(await faultCount(), 0);
});
