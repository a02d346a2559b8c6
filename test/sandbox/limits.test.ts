import assert from 'node:assert/strict';
import {once} from 'node:events';
import {request as httpRequest, type IncomingMessage} from 'node:http';
import {after, before, test} from 'node:test';
import {maxSessionsPerAccount} from '../../source/sandbox/routes/login.js';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call, loginAs} from '../support/sandbox-client.js';

// A sandbox that cannot be exhausted (issue 10.10): bodies, the request log and sessions are bounded.

let sandbox: Sandbox;
let clock = 1_700_000_000_000;

before(async () => {
	sandbox = await startSandbox({now: () => clock, requestLogSize: 5});
});

after(async () => {
	await sandbox.close();
});

const loginPath = '/api/account/12345678/login?v=1.3';

/**
Streams a body without end until the sandbox answers or drops the connection, then stops: a server that buffered the
whole body first would do neither, and `written` would reach the cap (256 MiB) instead.
*/
async function postEndless(path: string) {
	const request = httpRequest({host: '127.0.0.1', port: sandbox.port, path, method: 'POST', agent: false, headers: {'content-type': 'application/json'}});
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	const cap = 256 * 1024 * 1024;
	let written = 0;
	let stopped = false;
	const pump = () => {
		while (!stopped && written < cap) {
			written += chunk.length;
			if (!request.write(chunk)) {
				request.once('drain', pump);
				return;
			}
		}

		request.end();
	};

	pump();
	// After its 413 the sandbox closes the connection without reading the rest; a client still sending may see that
	// reset (EPIPE, ECONNRESET) before it reads the answer.
	const outcome = await new Promise<{status?: number; text?: string; error?: string}>(resolve => {
		request.once('error', error => {
			resolve({error: (error as NodeJS.ErrnoException).code});
		});
		request.once('response', async (response: IncomingMessage) => {
			stopped = true;
			let text = '';
			for await (const part of response) {
				text += String(part);
			}

			resolve({status: response.statusCode, text});
		});
	});
	stopped = true;
	request.on('error', () => {});
	return {...outcome, written, cap};
}

test('refuses a body over 1 MiB while it is still arriving (413, or a reset), without buffering it', async () => {
	const reply = await postEndless(loginPath);
	assert.ok(reply.written < reply.cap, `refused only after ${reply.written} bytes`);
	if (reply.error === undefined) {
		assert.equal(reply.status, 413);
		assert.equal(JSON.parse(reply.text!).error.responseStatus, 'PAYLOAD_TOO_LARGE');
	} else {
		assert.match(reply.error, /^(EPIPE|ECONNRESET)$/);
	}

	// The sandbox still serves.
	assert.equal((await call(sandbox, loginPath, {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}})).status, 200);
});

test('answers 413 at once to a declared Content-Length over 1 MiB, before any body byte', async () => {
	const request = httpRequest({host: '127.0.0.1', port: sandbox.port, path: loginPath, method: 'POST', agent: false, headers: {'content-length': String(2 * 1024 * 1024)}});
	request.on('error', () => {});
	request.flushHeaders();
	const [response] = await once(request, 'response') as [IncomingMessage];
	response.resume();
	assert.equal(response.statusCode, 413);
	request.destroy();
});

test('takes a body of exactly 1 MiB', async () => {
	const body = JSON.stringify({username: 'admin', password: 'sandbox-admin-pass', padding: ''});
	const padded = body.replace('""', `"${' '.repeat((1024 * 1024) - body.length)}"`);
	assert.equal(Buffer.byteLength(padded), 1024 * 1024);
	assert.equal((await call(sandbox, loginPath, {method: 'POST', body: padded, headers: {'content-type': 'application/json'}})).status, 200);
});

test('refuses a control request over 1 MiB too', async () => {
	const reply = await postEndless('/__sandbox/faults');
	assert.ok(reply.written < reply.cap);
	assert.ok(reply.status === 413 || reply.error !== undefined);
	assert.equal((await call(sandbox, '/__sandbox/faults')).json.length, 0);
});

test('keeps the newest requests in a bounded log, oldest first', async () => {
	for (let index = 0; index < 8; index++) {
		await call(sandbox, `/api/account/12345678/service/baseURI.json?version=1.0&n=${index}`);
	}

	const paths = sandbox.requests().map(({path}) => path);
	assert.equal(paths.length, 5);
	assert.deepEqual((await call(sandbox, '/__sandbox/requests')).json.map(({path}: {path: string}) => path), paths);
	await call(sandbox, '/api/account/12345678/nothing');
	assert.deepEqual(sandbox.requests().map(({path}) => path), [...paths.slice(1), '/api/account/12345678/nothing']);
});

test('expires sessions after sessionTTl and forgets them', async () => {
	const {bearer, reply} = await loginAs(sandbox, '87654321', 'admin', 'sandbox-admin-pass');
	const ttl = Number(reply.json.sessionTTl);
	assert.equal(ttl, 28_800_000);
	assert.equal(sandbox.state('87654321').sessions, 1);
	clock += ttl;
	assert.equal(sandbox.state('87654321').sessions, 0);
	// V2's sourced Functions call (lpf 2.x sends no v): 401 for the expired bearer, before the not-provisioned 404.
	const functionsCall = await call(sandbox, `/api/account/87654321/functions?userId=${reply.json.config.userId as string}`, {headers: {authorization: `Bearer ${bearer}`}});
	assert.equal(functionsCall.status, 401);
});

test(`keeps at most ${maxSessionsPerAccount} live sessions per account, ending the oldest`, async () => {
	const first = await loginAs(sandbox, '11223344', 'admin', 'sandbox-admin-pass');
	for (let index = 0; index < maxSessionsPerAccount + 20; index++) {
		await loginAs(sandbox, '11223344', 'admin', 'sandbox-admin-pass');
	}

	assert.equal(sandbox.state('11223344').sessions, maxSessionsPerAccount);
	const refresh = await call(sandbox, '/api/account/11223344/refresh', {method: 'POST', headers: {cookie: first.cookie}, body: {csrf: first.csrf}});
	assert.equal(refresh.status, 401);
});
