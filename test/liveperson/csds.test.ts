import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {CancelledError, HttpError, UsageError} from '../../source/errors.js';
import {createSandboxWorld} from '../support/world.js';

describe('domains (CSDS over real HTTP)', () => {
	test('returns every service domain of a seeded account', async () => {
		const {api, sandbox, close} = await createSandboxWorld();
		try {
			const domains = await api.domains('12345678');
			assert.match(domains.agentVep!, /^[\w.-]+\.sandbox\.test:\d+$/);
			assert.ok(domains.accountConfigReadOnly);
			assert.ok(domains.faasUI);
			assert.deepEqual(sandbox.requests().map(({method, status}) => `${method} ${status}`), ['GET 200']);
		} finally {
			await close();
		}
	});

	test('reports an unknown account as 404 with a hint', async () => {
		const {api, close} = await createSandboxWorld();
		try {
			await assert.rejects(api.domains('99999999'), (error: unknown) => {
				assert.ok(error instanceof HttpError);
				assert.equal(error.status, 404);
				assert.equal(error.message, 'Account 99999999 was not found in CSDS.');
				assert.match(error.hint!, /account id/);
				return true;
			});
		} finally {
			await close();
		}
	});

	test('refuses an invalid account id before any call', async () => {
		const {api, sandbox, close} = await createSandboxWorld();
		try {
			for (const id of ['', '12-34', 'a'.repeat(21), '../x', '1 2']) {
				await assert.rejects(api.domains(id), UsageError);
			}

			assert.deepEqual(sandbox.requests(), []);
		} finally {
			await close();
		}
	});

	test('looks up one service', async () => {
		const {api, close} = await createSandboxWorld();
		try {
			const all = await api.domains('87654321');
			assert.equal(await api.domain('87654321', 'faasGW'), all.faasGW);
			await assert.rejects(api.domain('87654321', 'noSuchService'), (error: unknown) => error instanceof HttpError && error.status === 404
				&& error.message === 'Service noSuchService of account 87654321 was not found in CSDS.');
			await assert.rejects(api.domain('99999999', 'agentVep'), (error: unknown) => error instanceof HttpError && error.status === 404);
		} finally {
			await close();
		}
	});

	test('retries a 5xx and succeeds', async () => {
		const {api, sandbox, clock: {sleeps}, close} = await createSandboxWorld();
		try {
			sandbox.addFault({match: {path: '/service/'}, kind: 'status', status: 503, times: 2});
			assert.ok((await api.domains('12345678')).agentVep);
			assert.deepEqual(sleeps, [5000, 10_000]);
			assert.deepEqual(sandbox.requests().map(({status}) => status), [503, 503, 200]);
		} finally {
			await close();
		}
	});

	test('fails after four 5xx answers', async () => {
		const {api, sandbox, close} = await createSandboxWorld();
		try {
			sandbox.addFault({kind: 'status', status: 500});
			await assert.rejects(api.domains('12345678'), (error: unknown) => error instanceof HttpError && error.status === 500
				&& /having trouble/.test(error.hint!));
			assert.equal(sandbox.requests().length, 4);
		} finally {
			await close();
		}
	});

	test('waits after a 429 with and without Retry-After', async () => {
		const {api, sandbox, clock: {sleeps}, close} = await createSandboxWorld();
		try {
			sandbox.addFault({kind: 'status', status: 429, retryAfter: 4, times: 1});
			sandbox.addFault({kind: 'status', status: 429, times: 1});
			assert.ok((await api.domains('12345678')).agentVep);
			assert.deepEqual(sleeps, [4000, 1000]);
		} finally {
			await close();
		}
	});

	test('retries a reset connection', async () => {
		const {api, sandbox, clock: {sleeps}, close} = await createSandboxWorld();
		try {
			sandbox.addFault({kind: 'reset', times: 1});
			assert.ok((await api.domains('12345678')).agentVep);
			assert.deepEqual(sleeps, [5000]);
			sandbox.addFault({kind: 'reset'});
			await assert.rejects(api.domains('12345678'), (error: unknown) => error instanceof HttpError && error.status === undefined
				&& /connection failed/.test(error.message) && /HTTPS_PROXY/.test(error.hint!));
		} finally {
			await close();
		}
	});

	test('times out on a hanging server', async () => {
		const {api, sandbox, clock: {sleeps}, close} = await createSandboxWorld({client: {timeoutMs: 150}});
		try {
			sandbox.addFault({kind: 'hang'});
			await assert.rejects(api.domains('12345678'), (error: unknown) => error instanceof HttpError
				&& /no answer within 150 ms after 4 tries/.test(error.message) && /network/.test(error.hint!));
			assert.deepEqual(sleeps, [5000, 10_000, 15_000]);
		} finally {
			await close();
		}
	});

	test('reports malformed JSON', async () => {
		const {api, sandbox, close} = await createSandboxWorld();
		try {
			sandbox.addFault({kind: 'malformed', times: 1});
			await assert.rejects(api.domains('12345678'), (error: unknown) => error instanceof HttpError && /not the JSON/.test(error.message));
		} finally {
			await close();
		}
	});

	test('throws CancelledError when aborted mid-call', async () => {
		const {api, sandbox, close} = await createSandboxWorld();
		try {
			sandbox.addFault({kind: 'hang'});
			const controller = new AbortController();
			const call = api.domains('12345678', {signal: controller.signal});
			setImmediate(() => {
				controller.abort();
			});
			await assert.rejects(call, CancelledError);
		} finally {
			await close();
		}
	});
});
