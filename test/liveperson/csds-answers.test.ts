// What a CSDS answer must be before any of it is used: a 2xx, and bare host[:port] baseURIs. A hostile or broken CSDS
// on 127.0.0.1 answers what each test says.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, test} from 'node:test';
import {HttpError, UsageError} from '../../source/errors.js';
import {createLivePersonApi} from '../../source/liveperson/api.js';
import {createTestClock} from '../support/clock.js';
import {writeEndlessly} from '../support/endless.js';
import {listenOnLoopback} from '../support/loopback-server.js';

async function csds(status: number, body: unknown): Promise<string> {
	const server = createServer((_request, response) => {
		response.writeHead(status, {'content-type': 'application/json'});
		response.end(JSON.stringify(body));
	});
	return `http://${await listenOnLoopback(server, after)}`;
}

const entry = (service: string, baseURI: string) => ({service, account: '12345678', baseURI});

test('baseURIs that are not bare host[:port] are left out of the domains and never get credentials', async () => {
	const url = await csds(200, {baseURIs: [
		entry('agentVep', 'va.agentvep.example.test@evil.example'),
		entry('accountConfigReadOnly', 'va.ac.example.test/path?'),
		entry('accountConfigReadWrite', 'https://va.ac.example.test'),
		entry('msgHist', ' va.msg.example.test'),
		entry('faasUI', ''),
		entry('faasGW', 'va.gw.example.test:99999'),
		entry('leDataReporting', 'va.data.example.test:8443'),
	]});
	const api = createLivePersonApi({csdsUrl: url, clock: createTestClock()});
	try {
		assert.deepEqual(await api.domains('12345678'), {leDataReporting: 'va.data.example.test:8443'});
		await assert.rejects(
			api.send({method: 'GET', url: 'https://evil.example/x', what: 'GET /x', auth: {bearer: 'bearer-0123456789'}}),
			(error: unknown) => error instanceof UsageError && /refusing to send credentials to evil\.example/.test(error.message),
		);
	} finally {
		await api.close();
	}
});

test('an answer with only unusable baseURIs (an empty one included) is "not found"', async () => {
	const url = await csds(200, {baseURIs: [entry('agentVep', ''), entry('faasUI', 'a b')]});
	const api = createLivePersonApi({csdsUrl: url, clock: createTestClock()});
	try {
		await assert.rejects(api.domains('12345678'), (error: unknown) => error instanceof HttpError && error.status === 404
			&& error.message === 'Account 12345678 was not found in CSDS.');
	} finally {
		await api.close();
	}
});

test('a non-2xx answer is never used, even with a list of baseURIs in it', async () => {
	for (const status of [400, 401, 403, 404]) {
		const url = await csds(status, {baseURIs: [entry('agentVep', 'va.agentvep.example.test')], baseURI: 'va.agentvep.example.test'});
		const api = createLivePersonApi({csdsUrl: url, clock: createTestClock()});
		try {
			await assert.rejects(api.domains('12345678'), (error: unknown) => error instanceof HttpError && error.status === 404, `domains, ${status}`);
			await assert.rejects(api.domain('12345678', 'agentVep'), (error: unknown) => error instanceof HttpError && error.status === 404, `domain, ${status}`);
		} finally {
			await api.close();
		}
	}
});

test('one service\'s baseURI must be a bare host too: empty, with a user name or a path is "not found"', async () => {
	for (const baseURI of ['', 'x@evil.example', 'va.example.test/p', 'va.example.test?q']) {
		const url = await csds(200, {service: 'agentVep', account: '12345678', baseURI});
		const api = createLivePersonApi({csdsUrl: url, clock: createTestClock()});
		try {
			await assert.rejects(api.domain('12345678', 'agentVep'), (error: unknown) => error instanceof HttpError && error.status === 404, JSON.stringify(baseURI));
		} finally {
			await api.close();
		}
	}
});

test('an endless CSDS answer ends as too large at 1 MiB, naming the host, not as a timeout', async () => {
	const server = createServer((_request, response) => {
		writeEndlessly(response, {prefix: '{"baseURIs":['});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
	const api = createLivePersonApi({csdsUrl: `http://${host}`, clock: createTestClock(), timeoutMs: 60_000});
	try {
		await assert.rejects(api.domains('12345678'), {message: `Looking up the domains of account 12345678 failed: the answer from ${host} is too large (over 1 MiB); lp-onboard stopped reading it.`});
	} finally {
		await api.close();
		server.closeAllConnections();
		server.close();
	}
});

test('a CSDS URL with a user name or password, or plain http off this machine, is refused before any call', () => {
	assert.throws(() => createLivePersonApi({csdsUrl: 'https://user:secret-pass@api.liveperson.net'}), (error: unknown) => error instanceof UsageError
		&& /carries a user name or password/.test(error.message) && !error.message.includes('secret-pass'));
	assert.throws(() => createLivePersonApi({csdsUrl: 'http://api.liveperson.net'}), {name: 'UsageError', message: /is not an https URL/});
	for (const local of ['http://127.0.0.1:1', 'http://127.1.2.3:1', 'http://localhost:1', 'http://[::1]:1']) {
		assert.doesNotThrow(() => createLivePersonApi({csdsUrl: local}), local);
	}
});
