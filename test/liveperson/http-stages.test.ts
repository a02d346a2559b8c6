// The HTTP client's stages over real sockets on 127.0.0.1: the host check in the authorization stage (nothing is sent
// to a host that is not the account's), the bounded read, the retry observer and the loopback fast failure.
import assert from 'node:assert/strict';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {after, describe, test} from 'node:test';
import {MockAgent} from 'undici';
import {HttpError, UsageError} from '../../source/errors.js';
import {createHttp, type RetryEvent} from '../../source/liveperson/http.js';
import {createTestClock} from '../support/clock.js';
import {writeEndlessly} from '../support/endless.js';
import {listenOnLoopback} from '../support/loopback-server.js';

const credentials = {
	appKey: 'app-key-value-1234567890',
	appSecret: 'app-secret-value-1234567890',
	accessToken: 'access-token-value-1234567890',
	accessTokenSecret: 'access-token-secret-value-1234567890',
};

type Seen = {readonly url: string; readonly authorization: string | undefined; readonly body: string};

/** A server on 127.0.0.1 that records every request that reached it and answers with `answer`. */
async function recordingServer(answer: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
	response.end('{}');
}): Promise<{host: string; seen: Seen[]; connections: () => number; server: Server}> {
	const seen: Seen[] = [];
	let connections = 0;
	const server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => {
			body += chunk.toString();
		});
		request.on('end', () => {
			seen.push({url: request.url ?? '', authorization: request.headers.authorization, body});
			answer(request, response);
		});
	});
	server.on('connection', () => {
		connections++;
	});
	return {host: await listenOnLoopback(server, after), seen, connections: () => connections, server};
}

describe('the authorization stage: credentials only to the account\'s hosts', () => {
	test('a host CSDS did not list gets nothing: refused before any byte is sent, naming the host and the flag', async () => {
		const {host, connections} = await recordingServer();
		const http = createHttp({clock: createTestClock()});
		http.trustHosts(['va.agentvep.liveperson.net']);
		let authorized = 0;
		for (const call of [
			{auth: {oauth: credentials}},
			{auth: {bearer: 'live-bearer-token-0123456789'}},
			{authorize: () => `Bearer ${String(++authorized)}`},
			{secretBody: true, body: {password: 'hunter2-password'}},
		]) {
			await assert.rejects(http.send({method: 'GET', url: `http://${host}/x`, what: 'GET /x', ...call}), (error: unknown) => {
				assert.ok(error instanceof UsageError, String(error));
				assert.equal(error.exitCode, 2);
				assert.match(error.message, new RegExp(`refusing to send credentials to ${host}`));
				assert.match(error.hint ?? '', new RegExp(`--send-credentials-to ${host}`));
				return true;
			});
		}

		assert.equal(authorized, 0, 'the credentials callback is never asked');
		assert.equal(connections(), 0, 'no connection was even opened');
		await http.close();
	});

	test('a request without credentials may go anywhere (CSDS is anonymous)', async () => {
		const {host, seen} = await recordingServer();
		const http = createHttp({clock: createTestClock()});
		assert.equal((await http.send({method: 'GET', url: `http://${host}/x`, what: 'GET /x'})).status, 200);
		assert.deepEqual(seen.map(request => request.authorization), [undefined]);
		await http.close();
	});

	test('--send-credentials-to HOST lets that host have them; a trusted host gets them; the port must match', async () => {
		const {host, seen} = await recordingServer();
		const named = createHttp({clock: createTestClock(), sendCredentialsTo: [host]});
		await named.send({method: 'GET', url: `http://${host}/named`, what: 'GET /named', auth: {bearer: 'bearer-0123456789'}});
		await named.close();

		const trusting = createHttp({clock: createTestClock()});
		trusting.trustHosts([host]);
		let asked: {method: string; url: string} | undefined;
		await trusting.send({method: 'PUT', url: `http://${host}/cb?v=1`, what: 'PUT /cb', authorize(request) {
			asked = request;
			return 'Bearer from-the-port';
		}});
		const otherPort = `127.0.0.1:${Number(host.split(':')[1]) === 1 ? 2 : 1}`;
		await assert.rejects(trusting.send({method: 'GET', url: `http://${otherPort}/x`, what: 'GET /x', auth: {bearer: 'b-0123456789'}}), UsageError);
		await trusting.close();

		assert.deepEqual(seen.map(request => [request.url, request.authorization]), [['/named', 'Bearer bearer-0123456789'], ['/cb?v=1', 'Bearer from-the-port']]);
		assert.deepEqual(asked, {method: 'PUT', url: `http://${host}/cb?v=1`});
	});

	test('plain http carries credentials only on this machine or to a reserved test name, even to a trusted host', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const http = createHttp({dispatcher: agent, clock: createTestClock(), sendCredentialsTo: ['va.example.com', 'va.faasui.sandbox.test']});
		http.trustHosts(['va.agentvep.liveperson.net']);
		for (const url of ['http://va.agentvep.liveperson.net/x', 'http://va.example.com/x']) {
			await assert.rejects(http.send({method: 'GET', url, what: 'GET /x', auth: {bearer: 'b-0123456789'}}), {
				name: 'UsageError',
				message: /refusing to send credentials over plain http to va\./,
			});
		}

		agent.get('https://va.agentvep.liveperson.net').intercept({path: '/x', method: 'GET'}).reply(200, {});
		assert.equal((await http.send({method: 'GET', url: 'https://va.agentvep.liveperson.net/x', what: 'GET /x', auth: {bearer: 'b-0123456789'}})).status, 200);
		agent.get('http://va.faasui.sandbox.test').intercept({path: '/x', method: 'GET'}).reply(200, {});
		assert.equal((await http.send({method: 'GET', url: 'http://va.faasui.sandbox.test/x', what: 'GET /x', auth: {bearer: 'b-0123456789'}})).status, 200);
		agent.assertNoPendingInterceptors();
		await agent.close();
	});

	test('a listed host that is not a bare host[:port] is never trusted', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const http = createHttp({dispatcher: agent, clock: createTestClock()});
		http.trustHosts(['user@evil.example', 'evil.example/path?', ' evil.example', 'evil.example:99999', '']);
		await assert.rejects(http.send({method: 'GET', url: 'https://evil.example/x', what: 'GET /x', auth: {bearer: 'b-0123456789'}}), {name: 'UsageError'});

		await agent.close();
	});
});

describe('every status is an answer (anyStatus)', () => {
	test('a 404, a 429 and a 503 come back as they are, never retried', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const clock = createTestClock();
		const http = createHttp({dispatcher: agent, clock});
		const pool = agent.get('https://va.example.test');
		for (const status of [404, 429, 503]) {
			pool.intercept({path: '/x', method: 'GET'}).reply(status, {status});
			const answer = await http.send({method: 'GET', url: 'https://va.example.test/x', what: 'GET /x', anyStatus: true});
			assert.equal(answer.status, status);
		}

		assert.deepEqual(clock.sleeps, []);
		agent.assertNoPendingInterceptors();
		await agent.close();
	});
});

describe('the bounded read', () => {
	test('an endless body ends with "too large", naming the host and the limit, not a timeout; it is not retried', async () => {
		const {host, seen} = await recordingServer((_request, response) => {
			writeEndlessly(response);
		});
		const clock = createTestClock();
		const http = createHttp({clock, timeoutMs: 60_000});
		const started = Date.now();
		await assert.rejects(http.send({method: 'GET', url: `http://${host}/endless`, what: 'Looking up the domains', maxBytes: 1024 * 1024}), (error: unknown) => {
			assert.ok(error instanceof HttpError, String(error));
			assert.equal(error.message, `Looking up the domains failed: the answer from ${host} is too large (over 1 MiB); lp-onboard stopped reading it.`);
			assert.doesNotMatch(error.message, /no answer within/);
			return true;
		});
		assert.ok(Date.now() - started < 30_000, 'ended by its size, long before the 60 s timeout');
		assert.equal(seen.length, 1, 'not retried');
		assert.deepEqual(clock.sleeps, []);
		await http.close();
	});

	test('a Content-Length over the cap fails before the body is read; one at the cap is read', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const http = createHttp({dispatcher: agent, clock: createTestClock()});
		const pool = agent.get('https://va.example.test');
		pool.intercept({path: '/big', method: 'GET'}).reply(200, 'x'.repeat(10), {headers: {'content-length': '2048'}});
		await assert.rejects(http.send({method: 'GET', url: 'https://va.example.test/big', what: 'GET /big', maxBytes: 1024}), {
			message: /answer from va\.example\.test is too large \(over 1 KiB\)/,
		});
		const exact = JSON.stringify({a: 'y'.repeat(1024 - 8)});
		assert.equal(exact.length, 1024);
		pool.intercept({path: '/exact', method: 'GET'}).reply(200, exact);
		assert.deepEqual(await http.send({method: 'GET', url: 'https://va.example.test/exact', what: 'GET /exact', maxBytes: 1024}).then(answer => answer.body), JSON.parse(exact));
		await agent.close();
	});
});

describe('the retry stage', () => {
	test('onRetry hears each pause before it is taken: attempt, the most retries, the delay and why', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const events: Array<RetryEvent & {sleepsSoFar: number}> = [];
		const clock = createTestClock();
		const http = createHttp({dispatcher: agent, clock});
		const pool = agent.get('https://va.example.test');
		pool.intercept({path: '/x', method: 'GET'}).reply(503, '');
		pool.intercept({path: '/x', method: 'GET'}).replyWithError(Object.assign(new Error('reset'), {code: 'ECONNRESET'}));
		pool.intercept({path: '/x', method: 'GET'}).reply(200, {});
		await http.send({method: 'GET', url: 'https://va.example.test/x', what: 'GET /x', onRetry(event) {
			events.push({...event, sleepsSoFar: clock.sleeps.length});
		}});
		assert.deepEqual(events, [
			{attempt: 1, maxAttempts: 3, delayMs: 5000, reason: 'LivePerson answered 503', sleepsSoFar: 0},
			{attempt: 2, maxAttempts: 3, delayMs: 10_000, reason: 'the connection failed (ECONNRESET)', sleepsSoFar: 1},
		]);
		assert.deepEqual(clock.sleeps, [5000, 10_000]);
		await agent.close();
	});

	test('the pauses are injectable: a client with short ones waits those, as many times as they allow', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const clock = createTestClock();
		const http = createHttp({dispatcher: agent, clock, serverErrorPausesMs: [1, 2]});
		agent.get('https://va.example.test').intercept({path: '/x', method: 'GET'}).reply(500, '').times(3);
		await assert.rejects(http.send({method: 'GET', url: 'https://va.example.test/x', what: 'GET /x'}), {message: /answered 500 after 3 tries/});
		assert.deepEqual(clock.sleeps, [1, 2]);
		agent.assertNoPendingInterceptors();
		await agent.close();
	});

	test('a refused connection on this machine fails at once: no 5, 10, 15 s pauses (127.0.0.0/8, ::1, localhost)', async () => {
		// A port that was just free: nothing listens there.
		const {server, host} = await recordingServer();
		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
		const port = host.split(':')[1]!;
		const clock = createTestClock();
		const http = createHttp({clock});
		for (const url of [`http://127.0.0.1:${port}/x`, `http://localhost:${port}/x`]) {
			await assert.rejects(http.send({method: 'GET', url, what: 'GET /x'}), (error: unknown) => {
				assert.ok(error instanceof HttpError, String(error));
				assert.match(error.message, /the connection failed \(ECONNREFUSED\) \(GET /);
				assert.doesNotMatch(error.message, /after \d tries/);
				return true;
			});
		}

		assert.deepEqual(clock.sleeps, [], 'no retry pause at all');
		await http.close();
	});
});
