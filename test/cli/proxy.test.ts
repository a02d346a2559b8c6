import test from 'node:test';
import assert from 'node:assert/strict';
import {createServer, request, type Server} from 'node:http';
import {connect} from 'node:net';
import {startSandbox} from '../../source/sandbox/server.js';
import {createCliEnv, pollUntil, runCli, spawnCli} from '../support/cli.js';

/**
A forward proxy on 127.0.0.1 that sends every request it gets, whatever host it names, to the sandbox on this machine (never
anywhere else), and records the absolute URLs it was asked for.
*/
async function startProxy(sandboxPort: number): Promise<{url: string; seen: string[]; server: Server}> {
	const seen: string[] = [];
	const server = createServer((incoming, outgoing) => {
		seen.push(incoming.url ?? '');
		const target = new URL(incoming.url ?? '/');
		const forward = request({host: '127.0.0.1', port: sandboxPort, method: incoming.method, path: `${target.pathname}${target.search}`, headers: incoming.headers}, answer => {
			outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(outgoing);
		});
		forward.on('error', () => outgoing.writeHead(502).end());
		incoming.pipe(forward);
	});
	// undici's ProxyAgent tunnels with CONNECT, for http:// targets too.
	server.on('connect', (incoming, client, head) => {
		seen.push(`CONNECT ${incoming.url ?? ''}`);
		const upstream = connect(sandboxPort, '127.0.0.1', () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {url: `http://127.0.0.1:${(server.address() as {port: number}).port}`, seen, server};
}

test('HTTP_PROXY carries every request, CSDS and the service hosts it hands out', async t => {
	const sandbox = await startSandbox({port: 0});
	t.after(async () => sandbox.close());
	const proxy = await startProxy(sandbox.port);
	t.after(() => proxy.server.close());
	const dirs = await createCliEnv(t);
	// A CSDS name that resolves nowhere: the request can only succeed through the proxy.
	const csds = `http://csds.proxy-test.invalid:${sandbox.port}`;
	// 11223344 is provisioned, so the dry run reaches Functions (faasUI) and exits 0.
	const dryRun = await runCli(['provision', '--csds-url', csds, '--account', '11223344', '--username', 'admin', '--dry-run', '--timeout', '5'], {
		env: {...dirs.env, CI: 'true', HTTP_PROXY: proxy.url, LP_PASSWORD: 'sandbox-admin-pass'},
		timeoutMs: 30_000,
	});
	assert.equal(dryRun.code, 0, dryRun.stderr);
	assert.ok(proxy.seen.includes(`CONNECT va.agentvep.sandbox.test:${sandbox.port}`), proxy.seen.join('\n'));
	assert.ok(proxy.seen.includes(`CONNECT va.faasui.sandbox.test:${sandbox.port}`), proxy.seen.join('\n'));
	const domains = await runCli(['domains', '--csds-url', csds, '--account', '12345678', '--json', '--timeout', '5'], {
		env: {...dirs.env, CI: 'true', HTTP_PROXY: proxy.url},
		timeoutMs: 30_000,
	});
	assert.equal(domains.code, 0, domains.stderr);
	assert.match(JSON.parse(domains.stdout).agentVep, /^va\.agentvep\.sandbox\.test:\d+$/);
	assert.ok(proxy.seen.includes(`CONNECT csds.proxy-test.invalid:${sandbox.port}`), proxy.seen.join('\n'));
});

test('NO_PROXY sends a matching host around the proxy', async t => {
	const sandbox = await startSandbox({port: 0});
	t.after(async () => sandbox.close());
	const proxy = await startProxy(sandbox.port);
	t.after(() => proxy.server.close());
	const dirs = await createCliEnv(t);
	const result = await runCli(['domains', '--csds-url', `http://csds.proxy-test.invalid:${sandbox.port}`, '--account', '12345678', '--timeout', '2'], {
		env: {...dirs.env, CI: 'true', HTTP_PROXY: proxy.url, NO_PROXY: '.proxy-test.invalid'},
		timeoutMs: 30_000,
	});
	// Direct, the made-up name does not resolve: a network error (exit 5) with the proxy hint, and the proxy saw nothing.
	assert.equal(result.code, 5, result.stderr);
	assert.match(result.stderr, /HTTPS_PROXY/);
	assert.deepEqual(proxy.seen, []);
});

/** A proxy that accepts connections and CONNECTs and never answers; counts the CONNECTs it swallowed. */
async function startSilentProxy(t: {after(fn: () => void): void}): Promise<{url: string; connects(): number}> {
	const silent = createServer();
	let connects = 0;
	silent.on('connect', () => {
		connects++;
	});
	silent.on('request', () => undefined);
	await new Promise<void>(resolve => {
		silent.listen(0, '127.0.0.1', resolve);
	});
	t.after(() => {
		silent.closeAllConnections();
		silent.close();
	});
	return {url: `http://127.0.0.1:${(silent.address() as {port: number}).port}`, connects: () => connects};
}

const unreachableDomains = ['domains', '--csds-url', 'http://csds.proxy-test.invalid', '--account', '12345678'];

test('a proxy that never answers ends in a network error within the retry budget, not a hang', async t => {
	const proxy = await startSilentProxy(t);
	const dirs = await createCliEnv(t);
	// LivePerson's retry policy: 4 tries of 1 s each, with 5, 10 and 15 s between them (README, "Provisioning").
	const result = await runCli([...unreachableDomains, '--timeout', '1'], {env: {...dirs.env, CI: 'true', HTTP_PROXY: proxy.url}, timeoutMs: 60_000});
	assert.equal(result.code, 5, result.stderr);
	assert.match(result.stderr, /no answer within 1000 ms after 4 tries/);
	assert.match(result.stderr, /HTTPS_PROXY/);
	assert.equal(proxy.connects(), 4);
});

test('Ctrl-C while a proxy never answers ends at once with exit 130', async t => {
	const proxy = await startSilentProxy(t);
	const dirs = await createCliEnv(t);
	const cli = spawnCli([...unreachableDomains, '--timeout', '120'], {env: {...dirs.env, CI: 'true', HTTP_PROXY: proxy.url}});
	t.after(async () => cli.stop());
	await pollUntil(() => proxy.connects() > 0, 'the CONNECT to reach the proxy');
	cli.child.kill('SIGINT');
	// With a 120 s timeout, only the interrupt can end it within the 20 s the helper waits.
	const result = await cli.exited(20_000);
	assert.equal(result.code, 130, result.stderr);
	assert.match(result.stderr, /Cancelled/);
});
