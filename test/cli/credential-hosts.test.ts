// Credentials go only where CSDS says, end to end through dist/cli.js: `api` with a full URL on another host sends
// nothing there; a hostile CSDS cannot fill memory; a one-off --csds-url is not kept in the profile.
import assert from 'node:assert/strict';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createCliEnv, plainEnv, runCli, spawnCli} from '../support/cli.js';
import {listenOnLoopback} from '../support/loopback-server.js';
import {writeEndlessly} from '../support/endless.js';

const demoKey = {
	LP_APP_KEY: '4c8ce8a660c1f6f43537aa7130e4e19b',
	LP_APP_SECRET: '237f187e5698ede38c61bca37516bcf7',
	LP_ACCESS_TOKEN: '28a92dbbd758677ea838ceb4ef1fc08a',
	LP_ACCESS_TOKEN_SECRET: '50d9205dc910a93d82fd98c27c37b7d1',
};

/** A server on 127.0.0.1 that is no LivePerson host: it records what reaches it. */
async function foreignHost(t: {after(fn: () => Promise<void>): void}) {
	const seen: Array<Pick<IncomingMessage, 'url' | 'headers'>> = [];
	let connections = 0;
	const server = createServer((request, response) => {
		seen.push({url: request.url, headers: request.headers});
		response.writeHead(200, {'content-type': 'application/json'});
		response.end('{"replayed":true}');
	});
	server.on('connection', () => {
		connections++;
	});
	return {host: await listenOnLoopback(server, fn => t.after(fn)), seen, connections: () => connections};
}

test('api with a full URL on a host CSDS does not list exits 2 and sends nothing there; --send-credentials-to lets it', async t => {
	const dirs = await createCliEnv(t);
	const foreign = await foreignHost(t);
	const env = {...dirs.env, ...plainEnv, ...demoKey};
	const refused = await runCli(['api', '--sandbox', '--account', '12345678', `http://${foreign.host}/x`], {env, timeoutMs: 60_000});
	assert.equal(refused.code, 2, refused.stderr);
	assert.match(refused.stderr, new RegExp(`refusing to send credentials to ${foreign.host}`));
	assert.match(refused.stderr, new RegExp(`--send-credentials-to ${foreign.host}`));
	assert.equal(refused.stdout, '');
	assert.equal(foreign.connections(), 0, 'not even a connection was made');

	const bearer = await runCli(['api', '--sandbox', '--account', '12345678', '--bearer', `https://${foreign.host}/x`], {env, timeoutMs: 60_000});
	assert.equal(foreign.connections(), 0, `nothing with --bearer either (${bearer.stderr})`);

	const named = await runCli(['api', '--sandbox', '--account', '12345678', '--send-credentials-to', foreign.host, `http://${foreign.host}/x`], {env, timeoutMs: 60_000});
	assert.equal(named.code, 0, named.stderr);
	assert.deepEqual(JSON.parse(named.stdout), {replayed: true});
	assert.equal(foreign.seen.length, 1);
	assert.match(String(foreign.seen[0]!.headers.authorization), /^OAuth /);
});

test('api with a full URL on one of the account\'s own hosts is signed as with a path', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = spawnCli(['sandbox', '--port', '0'], {env: dirs.env});
	t.after(async () => sandbox.stop());
	const url = (await sandbox.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
	const env = {...dirs.env, ...plainEnv, ...demoKey};
	const domains = await runCli(['domains', '--csds-url', url, '--account', '12345678', '--json'], {env, timeoutMs: 60_000});
	assert.equal(domains.code, 0, domains.stderr);
	const host = /"accountConfigReadOnly":\s*"([^"]+)"/.exec(domains.stdout)?.[1];
	assert.ok(host, domains.stdout);
	const full = await runCli(['api', '--csds-url', url, '--account', '12345678', `http://${host}/api/account/12345678/configuration/le-users/users?v=4.0`], {env, timeoutMs: 60_000});
	assert.equal(full.code, 0, full.stderr);
	assert.ok(Array.isArray(JSON.parse(full.stdout)), full.stdout);
});

test('an endless CSDS answer ends with a size error naming the host, and the CLI stays under 150 MB of RSS', async t => {
	const dirs = await createCliEnv(t);
	const server = createServer((_request, response) => {
		writeEndlessly(response, {chunkBytes: 256 * 1024});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
	const preload = fileURLToPath(new URL('../fixtures/report-max-rss.js', import.meta.url));
	const result = await runCli(['domains', '--account', '12345678', '--csds-url', `http://${host}`, '--timeout', '120'], {
		env: {...dirs.env, ...plainEnv, NODE_OPTIONS: `--import ${preload}`},
		timeoutMs: 120_000,
	});
	assert.equal(result.code, 5, result.stderr);
	assert.match(result.stderr, new RegExp(`the answer from ${host} is too large \\(over 1 MiB\\)`));
	assert.doesNotMatch(result.stderr, /no answer within/);
	const maxRssKb = Number(/lp-test-max-rss-kb=(\d+)/.exec(result.stderr)?.[1]);
	assert.ok(maxRssKb > 0, result.stderr);
	assert.ok(maxRssKb < 150 * 1024, `peak RSS ${Math.round(maxRssKb / 1024)} MB`);
});

test('a --csds-url with a user name or password, or plain http off this machine, is refused and never stored', async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...plainEnv};
	const withPassword = await runCli(['domains', '--account', '12345678', '--csds-url', 'http://user:hunter2-pass@127.0.0.1:1'], {env});
	assert.equal(withPassword.code, 2, withPassword.stderr);
	assert.match(withPassword.stderr, /carries a user name or password/);
	assert.doesNotMatch(withPassword.stderr, /hunter2-pass/);
	const plain = await runCli(['domains', '--account', '12345678', '--csds-url', 'http://api.example.com'], {env});
	assert.equal(plain.code, 2, plain.stderr);
	assert.match(plain.stderr, /--csds-url must be https for api\.example\.com/);
	assert.equal(await dirs.readJson(join(dirs.configDir, 'config.json')).catch(() => undefined), undefined, 'no config written');
});

test('the wizard keeps a --csds-url in the profile only with --save-csds-url; its next steps carry an unsaved one', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = spawnCli(['sandbox', '--port', '0'], {env: dirs.env});
	t.after(async () => sandbox.stop());
	const url = (await sandbox.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
	const env = {...dirs.env, ...plainEnv, ...demoKey};
	const profileOf = async (name: string) => ((await dirs.readJson(join(dirs.configDir, 'config.json'))) as {profiles: Record<string, {csdsUrl?: string}>}).profiles[name];

	const once = await runCli(['--csds-url', url, '--account', '12345678', '--skip-provisioning', '--insecure-storage', '--profile', 'once'], {env, timeoutMs: 90_000});
	assert.equal(once.code, 0, once.stderr);
	assert.equal((await profileOf('once'))?.csdsUrl, undefined, 'a one-off --csds-url is not saved');
	assert.match(once.stdout + once.stderr, new RegExp(`api GET '[^']+' --csds-url ${url.replaceAll('.', '\\.')}`));

	const kept = await runCli(['--csds-url', url, '--save-csds-url', '--account', '12345678', '--skip-provisioning', '--insecure-storage', '--profile', 'kept'], {env, timeoutMs: 90_000});
	assert.equal(kept.code, 0, kept.stderr);
	assert.equal((await profileOf('kept'))?.csdsUrl, url);
});
