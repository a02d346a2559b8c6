import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {EnvHttpProxyAgent, MockAgent, Agent} from 'undici';
import {CancelledError, HttpError} from '../../source/errors.js';
import {createDispatcher, sandboxLookup} from '../../source/liveperson/dispatcher.js';
import {createHttp, type HttpCall, serviceCode, serviceMessage} from '../../source/liveperson/http.js';
import {maxSends, retryAfterMs, retryPolicy} from '../../source/liveperson/retry-policy.js';
import {createTestClock} from '../support/clock.js';

const origin = 'https://va.ac.example.test';
const credentials = {
	appKey: 'app-key-value-1234567890',
	appSecret: 'app-secret-value-1234567890',
	accessToken: 'access-token-value-1234567890',
	accessTokenSecret: 'access-token-secret-value-1234567890',
};

function setup() {
	const agent = new MockAgent();
	agent.disableNetConnect();
	const clock = createTestClock();
	const http = createHttp({dispatcher: agent, clock});
	// The account's host, as CSDS would list it: requests there may carry credentials.
	http.trustHosts([new URL(origin).host]);
	const pool = agent.get(origin);
	return {
		http,
		pool,
		sleeps: clock.sleeps,
		call: (overrides: Partial<HttpCall> = {}): HttpCall => ({method: 'GET', url: `${origin}/api/x?v=1`, what: 'Reading x', ...overrides}),
		async done() {
			agent.assertNoPendingInterceptors();
			await agent.close();
		},
	};
}

async function rejectsWith(promise: Promise<unknown>, check: (error: HttpError) => void): Promise<HttpError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
		check(error);
		return error;
	}

	assert.fail('expected a rejection');
}

describe('createHttp', () => {
	test('returns the parsed JSON of a 2xx answer', async () => {
		const {http, pool, call, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(200, {hello: 'world'});
		const result = await http.send(call());
		assert.equal(result.status, 200);
		assert.deepEqual(result.body, {hello: 'world'});
		await done();
	});

	test('signs every try with a fresh OAuth nonce', async () => {
		const {http, pool, call, sleeps, done} = setup();
		const nonces: string[] = [];
		const record = (options: {headers?: unknown}) => {
			const headers = options.headers as Record<string, string>;
			nonces.push(/oauth_nonce="([^"]+)"/.exec(headers.authorization ?? '')?.[1] ?? 'none');
		};

		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(options => {
			record(options);
			return {statusCode: 503, data: ''};
		});
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(options => {
			record(options);
			return {statusCode: 200, data: '[]'};
		});
		await http.send(call({auth: {oauth: credentials}}));
		assert.equal(nonces.length, 2);
		assert.notEqual(nonces[0], 'none');
		assert.notEqual(nonces[0], nonces[1]);
		assert.deepEqual(sleeps, [5000]);
		await done();
	});

	test('waits for Retry-After after a 429, then retries', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(429, '', {headers: {'retry-after': '3'}});
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(200, {ok: true});
		assert.deepEqual((await http.send(call())).body, {ok: true});
		assert.deepEqual(sleeps, [3000]);
		await done();
	});

	test('waits at least 1 s after a 429 without Retry-After or with a shorter one', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(429, '');
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(429, '', {headers: {'retry-after': '0'}});
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(200, {});
		await http.send(call());
		assert.deepEqual(sleeps, [1000, 1000]);
		await done();
	});

	test('waits at least the given floor after a 429 (5 s for login)', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(429, '', {headers: {'retry-after': '2'}});
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(429, '', {headers: {'retry-after': '7'}});
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(200, {});
		await http.send(call({method: 'POST', body: {}, rateLimitFloorMs: 5000}));
		assert.deepEqual(sleeps, [5000, 7000]);
		await done();
	});

	test('reads a Retry-After date', () => {
		const now = Date.parse('2025-01-01T00:00:00Z');
		assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:04 GMT', now), 4000);
		assert.equal(retryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now), 0);
		assert.equal(retryAfterMs('soon', now), undefined);
		assert.equal(retryAfterMs(undefined, now), undefined);
		assert.equal(retryAfterMs(['2'], now), 2000);
	});

	test('the budget is LivePerson\'s policy: 4 sends, pauses of 5, 10 and 15 s, at most a minute of waiting', () => {
		assert.deepEqual(retryPolicy.serverErrorPausesMs, [5000, 10_000, 15_000]);
		assert.equal(maxSends, 4);
		assert.equal(retryPolicy.rateLimitFloorMs, 1000);
		assert.equal(retryPolicy.loginRateLimitFloorMs, 5000);
		assert.equal(retryPolicy.maxTotalPauseMs, 60_000);
	});

	test('gives up after four 429 answers with a rate-limit hint', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(429, '').times(4);
		await rejectsWith(http.send(call()), error => {
			assert.equal(error.status, 429);
			assert.match(error.message, /^Reading x failed: LivePerson answered 429 after 4 tries/);
			assert.match(error.hint!, /rate limiting/);
		});
		assert.deepEqual(sleeps, [1000, 1000, 1000]);
		await done();
	});

	test('does not wait for a Retry-After longer than a minute', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(429, '', {headers: {'retry-after': '3600'}});
		await rejectsWith(http.send(call()), error => assert.equal(error.status, 429));
		assert.deepEqual(sleeps, []);
		await done();
	});

	test('stops once the pauses would pass a minute in all', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(429, '', {headers: {'retry-after': '40'}}).times(2);
		await rejectsWith(http.send(call()), error => assert.match(error.message, /429 after 2 tries/));
		assert.deepEqual(sleeps, [40_000]);
		await done();
	});

	test('retries a 5xx after 5 s, then 10 s, and succeeds', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(503, '');
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(500, {error: {internalCode: 500}});
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(200, {ok: 1});
		assert.deepEqual((await http.send(call())).body, {ok: 1});
		assert.deepEqual(sleeps, [5000, 10_000]);
		await done();
	});

	test('fails after four 5xx answers (5 + 10 + 15 s of pauses) saying LivePerson is having trouble', async () => {
		const {http, pool, call, sleeps, done} = setup();
		let sends = 0;
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(() => {
			sends++;
			return {statusCode: 502, data: ''};
		}).times(4);
		await rejectsWith(http.send(call()), error => {
			assert.equal(error.status, 502);
			assert.match(error.message, /after 4 tries/);
			assert.match(error.hint!, /LivePerson is having trouble: retry later/);
		});
		assert.equal(sends, 4);
		assert.deepEqual(sleeps, [5000, 10_000, 15_000]);
		await done();
	});

	test('does not retry a non-idempotent call on 5xx', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(500, '');
		await rejectsWith(http.send(call({method: 'POST', body: {a: 1}})), error => assert.equal(error.status, 500));
		assert.deepEqual(sleeps, []);
		await done();
	});

	test('never retries a 451 on login (blacklisted)', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(451, '');
		await rejectsWith(http.send(call({method: 'POST', body: {}, idempotent: true, rateLimitFloorMs: retryPolicy.loginRateLimitFloorMs})), error => {
			assert.equal(error.status, 451);
			assert.match(error.hint!, /LivePerson Support/);
		});
		assert.deepEqual(sleeps, []);
		await done();
	});

	test('does not retry 4xx answers and names the next step', async () => {
		const {http, pool, call, sleeps, done} = setup();
		const expected: Array<[number, RegExp]> = [
			[400, /bug in lp-onboard/],
			[401, /Check the API key values .* re-run the wizard/],
			[403, /administrator/],
			[404, /account id/],
			[451, /LivePerson Support/],
		];
		for (const [status, hint] of expected) {
			pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(status, {error: {message: 'nope', internalCode: status}});
			await rejectsWith(http.send(call()), error => {
				assert.equal(error.status, status);
				assert.match(error.hint!, hint);
			});
		}

		assert.deepEqual(sleeps, []);
		await done();
	});

	test('uses the call\'s own hint for a status', async () => {
		const {http, pool, call, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(409, {code: 'com.liveperson.faas.self-service.pending', message: 'wait'});
		await rejectsWith(http.send(call({hints: {409: 'Wait for it.'}})), error => {
			assert.equal(error.code, 'com.liveperson.faas.self-service.pending');
			assert.equal(error.hint, 'Wait for it.');
			assert.match(error.message, /409 \(com\.liveperson\.faas\.self-service\.pending\)/);
		});
		await done();
	});

	test('points at the clock when OAuth refuses the timestamp', async () => {
		const {http, pool, call, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(401, 'oauth_problem=timestamp_refused&oauth_problem_advice=too%20old');
		await rejectsWith(http.send(call({auth: {oauth: credentials}})), error => {
			assert.equal(error.code, 'timestamp_refused');
			assert.match(error.hint!, /clock/);
		});
		await done();
	});

	test('returns accepted non-2xx statuses instead of throwing', async () => {
		const {http, pool, call, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(404, {code: 'not-found'});
		const result = await http.send(call({accept: [404]}));
		assert.equal(result.status, 404);
		assert.deepEqual(result.body, {code: 'not-found'});
		await done();
	});

	test('turns malformed JSON into an HttpError without retrying', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(200, '{"baseURIs": [', {headers: {'content-type': 'application/json'}});
		await rejectsWith(http.send(call()), error => {
			assert.equal(error.status, 200);
			assert.match(error.message, /not the JSON lp-onboard expects/);
			assert.match(error.hint!, /retry later/);
		});
		assert.deepEqual(sleeps, []);
		await done();
	});

	test('retries a dropped connection, then fails with a network hint', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).replyWithError(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})).times(4);
		await rejectsWith(http.send(call()), error => {
			assert.equal(error.status, undefined);
			assert.match(error.message, /connection failed \(ECONNRESET\) after 4 tries/);
			assert.match(error.hint!, /HTTPS_PROXY/);
		});
		assert.deepEqual(sleeps, [5000, 10_000, 15_000]);
		await done();
	});

	test('does not retry a non-idempotent call after a dropped connection, but does when it was refused', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).replyWithError(Object.assign(new Error('reset'), {code: 'ECONNRESET'}));
		await rejectsWith(http.send(call({method: 'POST', body: {}})), error => assert.match(error.hint!, /may have been carried out/));
		assert.deepEqual(sleeps, []);

		pool.intercept({path: '/api/x?v=1', method: 'POST'}).replyWithError(Object.assign(new Error('refused'), {code: 'ECONNREFUSED'}));
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(201, {id: 1});
		assert.equal((await http.send(call({method: 'POST', body: {}}))).status, 201);
		assert.deepEqual(sleeps, [5000]);
		await done();
	});

	test('does not retry a host name that does not exist, but does a DNS timeout', async () => {
		const {http, pool, call, sleeps, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND'), {code: 'ENOTFOUND'}));
		await rejectsWith(http.send(call()), error => assert.match(error.message, /connection failed \(ENOTFOUND\) \(/));
		assert.deepEqual(sleeps, []);

		pool.intercept({path: '/api/x?v=1', method: 'GET'}).replyWithError(Object.assign(new Error('getaddrinfo EAI_AGAIN'), {code: 'EAI_AGAIN'}));
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(200, {});
		await http.send(call());
		assert.deepEqual(sleeps, [5000]);
		await done();
	});

	test('keeps secrets out of error messages and hints', async () => {
		const {http, pool, call, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'POST'}).reply(401, {error: {message: `bad ${credentials.appSecret}`, internalCode: 1001}});
		await rejectsWith(http.send(call({method: 'POST', auth: {oauth: credentials}, body: {password: 'hunter2-password'}})), error => {
			const shown = `${error.message} ${error.hint} ${error.code}`;
			for (const secret of [...Object.values(credentials), 'hunter2-password']) {
				assert.ok(!shown.includes(secret), secret);
			}

			assert.equal(error.code, '1001');
		});
		await done();
	});

	test('throws CancelledError when the signal is already aborted', async () => {
		const {http, call, done} = setup();
		await assert.rejects(http.send(call({signal: AbortSignal.abort()})), CancelledError);
		await done();
	});

	test('throws CancelledError when aborted while waiting to retry', async () => {
		const agent = new MockAgent();
		agent.disableNetConnect();
		const controller = new AbortController();
		const clock = createTestClock({onSleep: () => controller.abort()});
		const http = createHttp({dispatcher: agent, clock});
		agent.get(origin).intercept({path: '/api/x?v=1', method: 'GET'}).reply(503, '');
		await assert.rejects(http.send({method: 'GET', url: `${origin}/api/x?v=1`, what: 'Reading x', signal: controller.signal}), CancelledError);
		await agent.close();
	});
});

describe('serviceCode', () => {
	test('reads the code of every LivePerson error shape and nothing else', () => {
		assert.equal(serviceCode('{"code":"com.liveperson.faas.forbidden","message":"no"}'), 'com.liveperson.faas.forbidden');
		assert.equal(serviceCode('{"errorCode":"contract-error","errorMsg":"x"}'), 'contract-error');
		assert.equal(serviceCode('{"error":{"time":1,"message":"CSRF token invalid!","internalCode":10,"responseStatus":"UNAUTHORIZED"}}'), '10');
		assert.equal(serviceCode('oauth_problem=signature_invalid&oauth_problem_advice=x'), 'signature_invalid');
		assert.equal(serviceCode('{"code":"has spaces and a secret"}'), undefined);
		assert.equal(serviceCode('<html>'), undefined);
	});
});

describe('serviceMessage', () => {
	test('reads what the service said from every LivePerson error shape', () => {
		assert.equal(serviceMessage('{"error":{"time":1,"message":"CSRF token invalid!","internalCode":10}}'), 'CSRF token invalid!');
		assert.equal(serviceMessage('{"error":"LeLogin1 failed - user not found","internalCode":20}'), 'LeLogin1 failed - user not found');
		assert.equal(serviceMessage('{"code":"com.liveperson.faas.forbidden","message":"no access"}'), 'no access');
		assert.equal(serviceMessage('{"errorCode":"contract-error","errorMsg":"bad body"}'), 'bad body');
		assert.equal(serviceMessage('{"error":"invalid_client","error_description":"unknown client"}'), 'unknown client');
		assert.equal(serviceMessage('oauth_problem=signature_invalid'), undefined);
		assert.equal(serviceMessage('<html>'), undefined);
		assert.equal(serviceMessage('{"error":{"message":42}}'), undefined);
	});

	test('never passes on a terminal escape, a line break or a bidirectional override, and stays short', () => {
		assert.equal(serviceMessage(JSON.stringify({message: 'red\u001B[31m\r\nline\u202Eevil\u0007'})), 'red [31m line evil');
		const long = serviceMessage(JSON.stringify({message: 'x'.repeat(1000)}))!;
		assert.equal(long.length, 200);
		assert.ok(long.endsWith('…'));
	});

	test('an error names the service\'s words, and a code that only repeats the status is not shown', async () => {
		const {http, pool, call, done} = setup();
		pool.intercept({path: '/api/x?v=1', method: 'GET'}).reply(401, {error: {message: 'OAuth 1.0 is no longer accepted.', internalCode: 401}});
		await rejectsWith(http.send(call()), error => {
			assert.equal(error.message, `Reading x failed: LivePerson answered 401: "OAuth 1.0 is no longer accepted." (GET ${new URL(origin).host}/api/x).`);
			assert.equal(error.code, '401');
		});
		await done();
	});
});

describe('sandboxLookup', () => {
	test('resolves sandbox hosts to 127.0.0.1 in both lookup forms', async () => {
		const single = await new Promise<unknown[]>(resolve => {
			sandboxLookup('va.agentvep.sandbox.test', {}, (...results) => resolve(results));
		});
		assert.deepEqual(single, [null, '127.0.0.1', 4]);
		const all = await new Promise<unknown[]>(resolve => {
			sandboxLookup('VA.AgentVep.Sandbox.Test', {all: true}, (...results) => resolve(results));
		});
		assert.deepEqual(all, [null, [{address: '127.0.0.1', family: 4}]]);
	});

	test('leaves other hosts to DNS', async () => {
		const [error, address] = await new Promise<unknown[]>(resolve => {
			sandboxLookup('localhost', {family: 4}, (...results) => resolve(results));
		});
		assert.equal(error, null);
		assert.equal(address, '127.0.0.1');
		const [missingError] = await new Promise<unknown[]>(resolve => {
			sandboxLookup('nothing.invalid', {all: true}, (...results) => resolve(results));
		});
		assert.ok(missingError instanceof Error);
	});
});

describe('createDispatcher', () => {
	test('uses a proxy agent only when a proxy is given', async () => {
		const plain = createDispatcher({});
		const proxied = createDispatcher({proxy: {httpsProxy: 'http://proxy.example.test:3128', noProxy: 'localhost'}});
		assert.ok(plain instanceof Agent);
		assert.ok(proxied instanceof EnvHttpProxyAgent);
		await Promise.all([plain.close(), proxied.close()]);
	});
});

test('the README states the same retry budget as the code', async () => {
	const {readFile} = await import('node:fs/promises');
	const readme = (await readFile(new URL('../../README.md', import.meta.url), 'utf8')).replaceAll(/\s+/g, ' ');
	const seconds = (ms: number) => `${ms / 1000} s`;
	const [first, second, third] = retryPolicy.serverErrorPausesMs.map(ms => ms / 1000);
	assert.ok(readme.includes(`after ${first}, ${second} and ${third} s`), 'the 5xx pauses');
	assert.ok(readme.includes(`at least ${seconds(retryPolicy.rateLimitFloorMs)} (${seconds(retryPolicy.loginRateLimitFloorMs)} for login)`), 'the 429 floors');
	assert.ok(readme.includes(`at most ${maxSends} sends and ${seconds(retryPolicy.maxTotalPauseMs)} of pauses`), 'the budget');
});
