import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HttpError} from '../../source/errors.js';
import type {Domains, LivePersonApi, LoginBody, Session} from '../../source/liveperson/types.js';
import {keepAliveIntervalMs, startKeepAlive} from '../../source/wizard/keep-alive.js';
import {createTestClock} from '../support/clock.js';

const domains: Domains = {agentVep: 'va.agentvep.sandbox.test'};

function session(n: number): Session {
	return {accountId: '12345678', bearer: `bearer-${n}`, csrf: `csrf-${n}`, sessionId: `sid-${n}`, userId: '1', loginName: 'bot', isAdmin: false, expiresAt: 0};
}

/** A LivePerson api whose refresh answers from a script ('ok', a status, or an Error), recording every call. */
function fakeApi(refreshAnswers: Array<'ok' | number | Error>, loginAnswers: Array<'ok' | number | Error> = []) {
	const calls: string[] = [];
	let logins = 0;
	const api: Pick<LivePersonApi, 'refresh' | 'login'> = {
		async refresh(current) {
			calls.push(`refresh ${current.csrf}`);
			const answer = refreshAnswers.shift() ?? 'ok';
			if (answer instanceof Error) {
				throw answer;
			}

			if (answer !== 'ok') {
				throw new HttpError(`HTTP ${answer}`, answer);
			}
		},
		async login(accountId, _domains, body: LoginBody) {
			calls.push(`login ${accountId} ${body.username}`);
			const answer = loginAnswers.shift() ?? 'ok';
			if (answer instanceof Error) {
				throw answer;
			}

			if (answer !== 'ok') {
				throw new HttpError(`HTTP ${answer}`, answer);
			}

			logins++;
			return session(100 + logins);
		},
	};
	return {api, calls};
}

test('refreshes every 5 minutes by default, and not before', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle} = clock;
	const {api, calls} = fakeApi([]);
	const keepAlive = startKeepAlive({api, session: session(1), domains, clock});
	await settle();
	assert.equal(keepAliveIntervalMs, 300_000);
	await advance(299_999);
	assert.deepEqual(calls, []);
	await advance(1);
	assert.deepEqual(calls, ['refresh csrf-1']);
	await advance(300_000);
	await advance(300_000);
	assert.deepEqual(calls, ['refresh csrf-1', 'refresh csrf-1', 'refresh csrf-1']);
	assert.equal(keepAlive.refreshes, 3);
	await keepAlive.stop();
});

test('on a 401 it logs in again once and refreshes the new session from then on', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle} = clock;
	const {api, calls} = fakeApi(['ok', 401, 'ok']);
	const sessions: string[] = [];
	const errors: unknown[] = [];
	const keepAlive = startKeepAlive({
		api,
		session: session(1),
		domains,
		clock,
		intervalMs: 1000,
		login: {username: 'bot', password: 'x'},
		onSession: next => sessions.push(next.csrf),
		onError: error => errors.push(error),
	});
	await settle();
	await advance(1000);
	await advance(1000);
	await advance(1000);
	assert.deepEqual(calls, ['refresh csrf-1', 'refresh csrf-1', 'login 12345678 bot', 'refresh csrf-101']);
	assert.deepEqual(sessions, ['csrf-101']);
	assert.equal(keepAlive.session.csrf, 'csrf-101');
	assert.deepEqual(errors, []);
	await keepAlive.stop();
});

test('stops and reports when the re-login fails too', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle} = clock;
	const {api, calls} = fakeApi([401], [401]);
	const errors: unknown[] = [];
	const keepAlive = startKeepAlive({api, session: session(1), domains, clock, intervalMs: 1000, login: {username: 'bot', password: 'x'}, onError: error => errors.push(error)});
	await settle();
	await advance(1000);
	await keepAlive.done;
	assert.deepEqual(calls, ['refresh csrf-1', 'login 12345678 bot']);
	assert.equal(errors.length, 1);
	assert.equal((errors[0] as HttpError).status, 401);
	await advance(5000);
	assert.equal(calls.length, 2, 'no refresh after it stopped');
});

test('without a login to fall back on, a 401 stops it with the error', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle} = clock;
	const {api, calls} = fakeApi([401]);
	const errors: unknown[] = [];
	const keepAlive = startKeepAlive({api, session: session(1), domains, clock, intervalMs: 1000, onError: error => errors.push(error)});
	await settle();
	await advance(1000);
	await keepAlive.done;
	assert.deepEqual(calls, ['refresh csrf-1']);
	assert.equal((errors[0] as HttpError).status, 401);
});

test('other failures are reported and the schedule goes on', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle, sleepers} = clock;
	const {api, calls} = fakeApi([503, new Error('socket hang up'), 'ok']);
	const errors: string[] = [];
	const keepAlive = startKeepAlive({api, session: session(1), domains, clock, intervalMs: 1000, onError: error => errors.push((error as Error).message)});
	await settle();
	await advance(1000);
	await advance(1000);
	await advance(1000);
	assert.deepEqual(errors, ['HTTP 503', 'socket hang up']);
	assert.equal(calls.length, 3);
	assert.equal(keepAlive.refreshes, 1);
	assert.equal(sleepers(), 1);
	await keepAlive.stop();
	assert.equal(sleepers(), 0);
});

test('the run signal stops it without an error', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle} = clock;
	const {api, calls} = fakeApi([]);
	const controller = new AbortController();
	const errors: unknown[] = [];
	const keepAlive = startKeepAlive({api, session: session(1), domains, clock, intervalMs: 1000, signal: controller.signal, onError: error => errors.push(error)});
	await settle();
	controller.abort();
	await keepAlive.done;
	await advance(10_000);
	assert.deepEqual(calls, []);
	assert.deepEqual(errors, []);
});

test('a re-login while LivePerson is out is tried again after 2, 4, then every 8 minutes, and the refreshes go on', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle} = clock;
	const {api, calls} = fakeApi([401], [503, 503, 503, 503, 'ok']);
	const errors: number[] = [];
	const sessions: string[] = [];
	const keepAlive = startKeepAlive({
		api, session: session(1), domains, clock, intervalMs: 1000, login: {username: 'bot', password: 'x'},
		onError: error => errors.push((error as HttpError).status!), onSession: next => sessions.push(next.csrf),
	});
	await settle();
	await advance(1000);
	assert.deepEqual(calls, ['refresh csrf-1', 'login 12345678 bot']);
	const logins = () => calls.filter(call => call.startsWith('login')).length;
	for (const [minutes, expected] of [[2, 2], [4, 3], [8, 4], [8, 5]] as const) {
		await advance(minutes * 60_000 - 1);
		assert.equal(logins(), expected - 1, `not before ${minutes} minutes`);
		await advance(1);
		assert.equal(logins(), expected, `after ${minutes} minutes`);
	}

	assert.deepEqual(errors, [503, 503, 503, 503]);
	assert.deepEqual(sessions, ['csrf-101']);
	await advance(1000);
	assert.equal(calls.at(-1), 'refresh csrf-101');
	await keepAlive.stop();
});

for (const status of [400, 401, 403, 451]) {
	test(`a re-login refused with ${status} is not retried: the keep-alive stops with the error`, async () => {
		const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
		const {advance, settle} = clock;
		const {api, calls} = fakeApi([401], [status]);
		const errors: unknown[] = [];
		const keepAlive = startKeepAlive({api, session: session(1), domains, clock, intervalMs: 1000, login: {username: 'bot', password: 'x'}, onError: error => errors.push(error)});
		await settle();
		await advance(1000);
		await keepAlive.done;
		await advance(10 * 60_000);
		assert.deepEqual(calls, ['refresh csrf-1', 'login 12345678 bot']);
		assert.equal((errors[0] as HttpError).status, status);
	});
}

test('no answer or a 429 on the re-login gets the outer retry too; the run signal ends its wait', async () => {
	const clock = createTestClock({mode: 'manual', start: Date.UTC(2025, 0, 1)});
	const {advance, settle, sleepers} = clock;
	const {api, calls} = fakeApi([401, 401], [new HttpError('no answer within 10000 ms', undefined), 429, 'ok', 429]);
	const controller = new AbortController();
	const keepAlive = startKeepAlive({api, session: session(1), domains, clock, intervalMs: 1000, login: {username: 'bot', password: 'x'}, signal: controller.signal});
	await settle();
	await advance(1000);
	await advance(2 * 60_000);
	await advance(4 * 60_000);
	assert.equal(keepAlive.session.csrf, 'csrf-101');
	await advance(1000);
	assert.deepEqual(calls, ['refresh csrf-1', 'login 12345678 bot', 'login 12345678 bot', 'login 12345678 bot', 'refresh csrf-101', 'login 12345678 bot']);
	assert.equal(sleepers(), 1, 'waiting for the outer retry');
	controller.abort();
	await keepAlive.done;
	assert.equal(sleepers(), 0);
});
