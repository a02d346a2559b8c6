import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {createCliEnv, spawnCli} from '../support/cli.js';
import {call, newBot, usersPath} from '../support/sandbox-client.js';

// LivePerson's own clients, unmodified, judge whether the sandbox answers like LivePerson (docs/contract.md "LivePerson's
// clients against the sandbox"): lpf (liveperson-functions-cli 1.31) and node-agent-sdk 1.2.0, each in its own process,
// trusting the sandbox's CA through NODE_EXTRA_CA_CERTS as the banner of `lp-onboard sandbox --tls` tells a developer.
let sandbox: Sandbox;
let root: string;
const here = fileURLToPath(new URL('.', import.meta.url));
const tsx = import.meta.resolve('tsx');
const lpfBin = fileURLToPath(new URL('../../node_modules/liveperson-functions-cli/bin/run', import.meta.url));

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'lp-clients-'));
	// lpf calls CSDS at api.liveperson.net, so this sandbox's certificate also carries that name (lpf-shim.ts connects it here).
	sandbox = await startSandbox({tls: {directory: join(root, 'state'), extraNames: ['api.liveperson.net']}, infrastructureMs: 0});
});

after(async () => {
	await sandbox.close();
	await rm(root, {recursive: true, force: true});
});

type Run = {code: number; stdout: string; stderr: string};

async function node(args: readonly string[], env: Record<string, string>, cwd: string): Promise<Run> {
	return new Promise(resolve => {
		execFile(process.execPath, args, {env, cwd, timeout: 60_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

const baseEnv = () => ({PATH: process.env['PATH'] ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: sandbox.caFile!, NO_COLOR: '1'});

/** The sandbox's requests since `from`, as `METHOD /path status`, the account prefix and query dropped. */
function requestsSince(from: number): string[] {
	return sandbox.requests().slice(from).map(({method, path, status}) => `${method} ${path.replace(/^\/api\/account\/\d+/, '')} ${status}`);
}

test('lpf logs in, then lists functions and adds a domain without a new login (its refresh takes the body\'s sessionId)', async () => {
	const home = join(root, 'lpf');
	await mkdir(join(home, 'tmp'), {recursive: true});
	const env = {
		...baseEnv(), HOME: home, TMPDIR: join(home, 'tmp'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'),
		XDG_DATA_HOME: join(home, 'data'), LPF_SHIM_PORT: String(sandbox.port),
	};
	const lpf = async (...args: string[]) => node(['--import', tsx, '--import', join(here, 'lpf-shim.ts'), lpfBin, ...args], env, home);

	let from = sandbox.requests().length;
	const login = await lpf('login', '--accountId', '11223344', '--username', 'admin', '--password', 'sandbox-admin-pass');
	assert.equal(login.code, 0, `${login.stdout}\n${login.stderr}`);
	assert.deepEqual(requestsSince(from), ['GET /service/baseURI.json 200', 'POST /login 200']);

	from = sandbox.requests().length;
	const functions = await lpf('get', 'functions');
	assert.equal(functions.code, 0, `${functions.stdout}\n${functions.stderr}`);
	assert.match(functions.stdout, /hello-sandbox\s+Draft/);
	// CSDS is asked by each of lpf's services (its login and its Functions client keep their own cache).
	assert.deepEqual(requestsSince(from).filter(line => !line.includes('/service/baseURI')), ['POST /refresh 200', 'GET /lambdas 200']);

	from = sandbox.requests().length;
	const domain = await lpf('add:domain', 'lpf.example.com');
	assert.equal(domain.code, 0, `${domain.stdout}\n${domain.stderr}`);
	assert.ok(requestsSince(from).includes('POST /proxy-settings 200'), requestsSince(from).join('\n'));
	assert.ok(!requestsSince(from).some(line => line.startsWith('POST /login')), 'no new login');
	assert.ok(sandbox.state('11223344').allowlist.includes('lpf.example.com'));
});

/** Runs node-agent-sdk with these Agent options; returns its events and the sandbox's requests meanwhile. */
async function agentSdk(options: Record<string, unknown>) {
	const from = sandbox.requests().length;
	const run = await node(['--import', tsx, join(here, 'nas-login.ts'), JSON.stringify({
		csdsDomain: new URL(sandbox.url).host, refreshSessionInterval: 500, ...options,
	})], {...baseEnv(), NAS_RUN_MS: '2500'}, root);
	const events = run.stdout.trim().split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>);
	return {run, events, requests: requestsSince(from)};
}

test('node-agent-sdk logs in with a password (agentId from config.userPid), refreshes, and stops at the websocket', async () => {
	const {run, events, requests} = await agentSdk({accountId: '12345678', username: 'admin', password: 'sandbox-admin-pass'});
	assert.equal(run.code, 0, run.stderr);
	const loggedIn = events.find(event => event['event'] === 'logged-in');
	assert.equal(loggedIn?.['userId'], '4100001');
	assert.match(String(loggedIn?.['agentId']), /^[\da-f]{8}-/);
	assert.deepEqual(requests.slice(0, 2), ['GET /service/baseURI.json 200', 'POST /login 200']);
	assert.ok(requests.includes('POST /refresh 200'), requests.join('\n'));
	assert.ok(!requests.some(line => line.startsWith('POST /refresh 401')), requests.join('\n'));
	// How far it gets: the messaging websocket (out of scope) is a path the sandbox does not model, answered 404.
	assert.ok(requests.some(line => /^GET \/ws_api\/account\/12345678\/messaging\/\S+ 404$/.test(line)), requests.join('\n'));
	assert.ok(events.some(event => event['event'] === 'error' && /unexpected server response \(404\)/.test(String(event['message']))));
});

test('node-agent-sdk logs a bot in with an API key and refreshes', async () => {
	const key = sandbox.demo.accounts['11223344'].apiKey;
	const {run, events, requests} = await agentSdk({
		accountId: '11223344', username: 'lp-onboard-bot', appKey: key.appKey, secret: key.appSecret, accessToken: key.accessToken, accessTokenSecret: key.accessTokenSecret,
	});
	assert.equal(run.code, 0, run.stderr);
	assert.equal(events.find(event => event['event'] === 'logged-in')?.['userId'], '4300099');
	assert.ok(requests.includes('POST /login 200') && requests.includes('POST /refresh 200'), requests.join('\n'));
});

test('node-agent-sdk logs a bot in with an OAuth 2.0 client (client id and secret, "dummy" tokens) and refreshes', async () => {
	const {clientId, clientSecret} = sandbox.demo.accounts['12345678'].client;
	const admin = await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
	const bot = await call(sandbox, `${usersPath('12345678')}?v=4.0`, {
		method: 'POST', headers: {authorization: `Bearer ${admin.json.bearer as string}`}, body: newBot('nas-oauth2-bot', clientId),
	});
	assert.equal(bot.status, 201, bot.text);
	const {run, events, requests} = await agentSdk({
		accountId: '12345678', username: 'nas-oauth2-bot', appKey: clientId, secret: clientSecret, accessToken: 'dummy', accessTokenSecret: 'dummy',
	});
	assert.equal(run.code, 0, run.stderr);
	assert.equal(events.find(event => event['event'] === 'logged-in')?.['userId'], bot.json.id);
	assert.ok(requests.includes('POST /login 200') && requests.includes('POST /refresh 200'), requests.join('\n'));
});

test('node-agent-sdk shows a refused login\'s message, not "[object Object]"', async () => {
	const {events} = await agentSdk({accountId: '12345678', username: 'admin', password: 'wrong-password'});
	const error = events.find(event => event['event'] === 'error');
	assert.match(String(error?.['message']), /^Authentication failed/);
	assert.equal(error?.['code'], 1001);
});

test('node-agent-sdk against `lp-onboard sandbox --tls` with only the printed NODE_EXTRA_CA_CERTS and csdsDomain', async t => {
	const dirs = await createCliEnv(t, 'lp-clients-cli-');
	const running = spawnCli(['sandbox', '--port', '0', '--tls'], {env: dirs.env});
	t.after(async () => running.stop());
	const [, caFile] = await running.waitForOutput(/NODE_EXTRA_CA_CERTS='([^']+)'/);
	const [, csdsDomain] = await running.waitForOutput(/csdsDomain: '([^']+)'/);
	const run = await node(['--import', tsx, join(here, 'nas-login.ts'), JSON.stringify({
		csdsDomain, refreshSessionInterval: 500, accountId: '87654321', username: 'admin', password: 'sandbox-admin-pass',
	})], {PATH: dirs.env['PATH']!, NODE_EXTRA_CA_CERTS: caFile!, NAS_RUN_MS: '2500'}, dirs.root);
	const events = run.stdout.trim().split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>);
	assert.equal(events.find(event => event['event'] === 'logged-in')?.['userId'], '4200001', run.stdout + run.stderr);
	// The sandbox process's own log (its control route, over https trusting the same CA): CSDS, login, then refreshes.
	const logged = await call({url: `https://${csdsDomain!}`, caFile: caFile!}, '/__sandbox/requests');
	const lines = (logged.json as Array<{method: string; path: string; status: number}>).map(({method, path, status}) => `${method} ${path.split('?')[0]!} ${status}`);
	assert.ok(lines.includes('POST /api/account/87654321/login 200'), lines.join('\n'));
	assert.ok(lines.includes('POST /api/account/87654321/refresh 200'), lines.join('\n'));
	assert.ok(!events.some(event => event['event'] === 'error' && /session unauthorized|refresh/.test(String(event['message']))));
});
