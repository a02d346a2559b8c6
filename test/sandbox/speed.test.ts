import assert from 'node:assert/strict';
import {once} from 'node:events';
import {watch} from 'node:fs';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {connect, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {acquireLock} from '../../source/config/lock.js';
import {createNonceWindow} from '../../source/sandbox/nonces.js';
import {startSandbox} from '../../source/sandbox/server.js';
import {call, oauthHeader, serviceHost, usersPath} from '../support/sandbox-client.js';

// What keeps the sandbox's speed from decaying (issue: nonces persisted one by one, the whole state written per request,
// idle connections kept for minutes). Behaviour only; the throughput figures are in `npm run bench`.
let directory: string;

before(async () => {
	directory = await mkdtemp(join(tmpdir(), 'lp-speed-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

test('the nonce window refuses a replay inside the window, forgets after it, and stops at its bound', () => {
	const window = createNonceWindow(3);
	assert.equal(window.remember('k a', 10_000, 0), 'fresh');
	assert.equal(window.remember('k a', 10_000, 5000), 'replay');
	assert.equal(window.remember('k b', 10_000, 5000), 'fresh');
	assert.equal(window.remember('k c', 20_000, 5000), 'fresh');
	// Full: nothing expired yet, so nothing is recorded (a replay would otherwise get through once it is evicted).
	assert.equal(window.remember('k d', 20_000, 5000), 'full');
	assert.equal(window.size, 3);
	// At 10 s the first two may go: room again, and `k a` is new once more.
	assert.equal(window.remember('k d', 20_000, 10_000), 'fresh');
	assert.equal(window.remember('k a', 30_000, 10_000), 'fresh');
	assert.deepEqual(window.entries(10_000).map(([key]) => key).sort(), ['k a', 'k c', 'k d']);
	const other = createNonceWindow();
	other.merge(window.entries(10_000), 10_000);
	assert.equal(other.remember('k c', 20_000, 11_000), 'replay');
	other.merge([['old', 5000]], 10_000);
	assert.equal(other.size, 3);
});

test('signed reads write nothing; a replay is still refused; the window is saved once, at close', async () => {
	const stateFile = join(directory, 'reads', 'sandbox-state.json');
	const sandbox = await startSandbox({stateFile});
	const path = `${usersPath('12345678')}?v=4.0`;
	const host = serviceHost(sandbox, 'accountConfigReadOnly');
	const signed = async (nonce?: string) => call(sandbox, path, {
		host, headers: {authorization: oauthHeader(sandbox.demo.accounts['12345678'].apiKey, {method: 'GET', url: `http://${host}${path}`, nonce})},
	});
	try {
		const replies = await Promise.all(Array.from({length: 25}, async () => signed()));
		assert.ok(replies.every(reply => reply.status === 200));
		assert.equal((await signed('only-once')).status, 200);
		assert.equal((await signed('only-once')).status, 401);
		await assert.rejects(stat(stateFile), {code: 'ENOENT'});
	} finally {
		await sandbox.close();
	}

	const saved = JSON.parse(await readFile(stateFile, 'utf8')) as {nonces: Array<[string, number]>};
	assert.equal(saved.nonces.length, 26);
});

test('changes that arrive while a save waits for the lock are saved together, each answered after its save', async () => {
	const stateFile = join(directory, 'grouped', 'sandbox-state.json');
	const sandbox = await startSandbox({stateFile});
	const login = async () => call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
	try {
		assert.equal((await login()).status, 200); // The file exists from here on.
		let writes = 0;
		const watcher = watch(join(directory, 'grouped'), (_event, name) => {
			if (name === 'sandbox-state.json') {
				writes++;
			}
		});
		// Another holder of the file's lock (as another sandbox process would be) keeps every commit waiting.
		const lock = await acquireLock(stateFile);
		const answers = Array.from({length: 20}, async () => login());
		await new Promise(resolve => {
			setTimeout(resolve, 300);
		});
		assert.equal(sandbox.requests().filter(entry => entry.path.endsWith('/login')).length, 1, 'nothing answered before it is saved');
		await lock.release();
		const replies = await Promise.all(answers);
		watcher.close();
		assert.ok(replies.every(reply => reply.status === 200));
		// One save for the group that was waiting (two at most: the first request may have gone alone), not twenty.
		assert.ok(writes >= 1 && writes <= 4, `${writes} file events for 20 logins`);
		const {sessions} = JSON.parse(await readFile(stateFile, 'utf8')) as {sessions: Array<{bearer: string}>};
		const bearers = new Set(sessions.map(session => session.bearer));
		assert.ok(replies.every(reply => bearers.has(reply.json.bearer as string)));
	} finally {
		await sandbox.close();
	}
});

/** Resolves when the server closes `socket` (a write after that may fail with EPIPE); fails if it is still open after `ms`. */
async function closedWithin(socket: Socket, ms: number): Promise<void> {
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		socket.destroy();
	}, ms);
	try {
		// Not events.once: it rejects on the EPIPE of a write after the server closed, which is the outcome wanted here.
		await new Promise(resolve => {
			socket.once('close', resolve);
		});
		assert.equal(timedOut, false, `still open after ${ms} ms`);
	} finally {
		clearTimeout(timer);
	}
}

test('idle, one-byte-at-a-time, slow-body and idle keep-alive connections are closed by the server', async () => {
	const sandbox = await startSandbox({timeouts: {headersMs: 300, requestMs: 700, keepAliveMs: 200}});
	const open = async () => {
		const socket = connect(sandbox.port, '127.0.0.1');
		await once(socket, 'connect');
		socket.on('error', () => {});
		return socket;
	};

	const drip = (socket: Socket, text: string) => {
		let index = 0;
		const timer = setInterval(() => {
			if (socket.destroyed || index >= text.length) {
				clearInterval(timer);
				return;
			}

			socket.write(text[index++]!);
		}, 100);
		return timer;
	};

	try {
		const idle = await open();
		const trickle = await open();
		const tricklin = drip(trickle, `GET /api/account/12345678/service/baseURI.json?version=1.0 HTTP/1.1\r\nHost: x${'\r\nX-Pad: y'.repeat(50)}`);
		const slowBody = await open();
		slowBody.write('POST /api/account/12345678/login?v=1.3 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n');
		const slow = drip(slowBody, '{'.repeat(200));
		const keepAlive = await open();
		keepAlive.write('GET /api/account/12345678/service/baseURI.json?version=1.0 HTTP/1.1\r\nHost: x\r\n\r\n');
		await once(keepAlive, 'data');
		// Generous bounds against limits of 0.3–0.7 s (checked every second): what matters is that they close at all.
		await Promise.all([closedWithin(idle, 8000), closedWithin(trickle, 8000), closedWithin(slowBody, 8000), closedWithin(keepAlive, 8000)]);
		clearInterval(tricklin);
		clearInterval(slow);
	} finally {
		await sandbox.close();
	}
});
