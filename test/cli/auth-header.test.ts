import test from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {createCliEnv, runCli, spawnCli, type TempDirs} from '../support/cli.js';

const exec = promisify(execFile);

type DemoKey = {LP_APP_KEY: string; LP_APP_SECRET: string; LP_ACCESS_TOKEN: string; LP_ACCESS_TOKEN_SECRET: string};

/** Starts `lp-onboard sandbox --port 0` as a child; reads its URL and the demo key of account 12345678 from stdout. */
async function startStandaloneSandbox(t: test.TestContext, dirs: TempDirs) {
	const sandbox = spawnCli(['sandbox', '--port', '0'], {env: dirs.env});
	t.after(async () => sandbox.stop());
	await sandbox.waitForOutput(/Press Ctrl-C to stop/, {stream: 'stderr'});
	const url = (await sandbox.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
	const block = (await sandbox.waitForOutput(/Account 12345678 [^\n]*\n(?:.*\n)*?\s+access token secret +(\w+)/))[0];
	const value = (label: string) => {
		const found = new RegExp(`^\\s+${label} +(\\w+)$`, 'm').exec(block)?.[1];
		assert.ok(found, `no ${label} in the sandbox output:\n${block}`);
		return found;
	};

	const key: DemoKey = {
		LP_APP_KEY: value('app key'),
		LP_APP_SECRET: value('secret'),
		LP_ACCESS_TOKEN: value('access token'),
		LP_ACCESS_TOKEN_SECRET: value('access token secret'),
	};
	return {url, key, port: Number(new URL(url).port), process: sandbox};
}

/** curl's status code and body for a GET with the given header line. */
async function curl(url: string, headerLine: string): Promise<{status: number; body: string}> {
	const {stdout} = await exec('curl', ['-s', '--max-time', '20', '-w', '\n%{http_code}', '-H', headerLine, url]);
	const cut = stdout.lastIndexOf('\n');
	return {status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut)};
}

async function headerLine(dirs: TempDirs, key: DemoKey, url: string, extra: string[] = []): Promise<string> {
	const result = await runCli(['auth', 'header', 'GET', url, ...extra], {env: {...dirs.env, ...key}});
	assert.equal(result.code, 0, result.stderr);
	const lines = result.stdout.split('\n');
	assert.equal(lines.length, 2, `expected exactly one line, got:\n${result.stdout}`);
	assert.equal(lines[1], '');
	assert.match(lines[0]!, /^Authorization: OAuth oauth_[a-z_]+="[^"]*"(, oauth_[a-z_]+="[^"]*")*$/);
	return lines[0]!;
}

test('auth header signs a Users API call that curl replays once against `lp-onboard sandbox`: 200, then 401 for the reused nonce', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = await startStandaloneSandbox(t, dirs);
	const usersUrl = `http://127.0.0.1:${sandbox.port}/api/account/12345678/configuration/le-users/users?v=4.0`;
	const line = await headerLine(dirs, sandbox.key, usersUrl);
	for (const name of ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_token', 'oauth_version']) {
		assert.match(line, new RegExp(`${name}="`), `the header lacks ${name}`);
	}

	assert.match(line, /oauth_signature_method="HMAC-SHA1"/);
	const {stdout: code} = await exec('curl', ['-s', '--max-time', '20', '-o', '/dev/null', '-w', '%{http_code}', '-H', line, usersUrl]);
	assert.equal(code, '200');

	const replay = await curl(usersUrl, line);
	assert.equal(replay.status, 401);
	assert.match(replay.body, /nonce/);
});

test('a header with one character of oauth_signature changed is refused with 401 (signature invalid)', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = await startStandaloneSandbox(t, dirs);
	const usersUrl = `http://127.0.0.1:${sandbox.port}/api/account/12345678/configuration/le-users/users?v=4.0`;
	const line = await headerLine(dirs, sandbox.key, usersUrl);
	const tampered = line.replace(/oauth_signature="(.)/, (_match, first: string) => `oauth_signature="${first === 'A' ? 'B' : 'A'}`);
	assert.notEqual(tampered, line);
	const refused = await curl(usersUrl, tampered);
	assert.equal(refused.status, 401);
	assert.match(refused.body, /signature_invalid/);

	// The untampered header (fresh nonce) still works: the 401 was the changed character.
	const fresh = await curl(usersUrl, await headerLine(dirs, sandbox.key, usersUrl));
	assert.equal(fresh.status, 200, fresh.body);
});

test('a header replayed against the URL with its query changed is refused with 401', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = await startStandaloneSandbox(t, dirs);
	const base = `http://127.0.0.1:${sandbox.port}/api/account/12345678/configuration/le-users/users`;
	const line = await headerLine(dirs, sandbox.key, `${base}?v=4.0`);
	const refused = await curl(`${base}?v=4.0&fields=id`, line);
	assert.equal(refused.status, 401);
	assert.match(refused.body, /signature_invalid/);
});

test('--nonce and --timestamp make the header reproducible', async t => {
	const dirs = await createCliEnv(t);
	const key = {LP_APP_KEY: 'ck-1234567890', LP_APP_SECRET: 'cs-1234567890', LP_ACCESS_TOKEN: 'tk-1234567890', LP_ACCESS_TOKEN_SECRET: 'ts-1234567890'};
	const url = 'https://va.example.liveperson.net/api/account/12345678/configuration/le-users/users?v=4.0';
	const fixed = ['--nonce', 'fixed-nonce-1', '--timestamp', '1700000000'];
	const first = await headerLine(dirs, key, url, fixed);
	const second = await headerLine(dirs, key, url, fixed);
	assert.equal(first, second);
	assert.match(first, /oauth_nonce="fixed-nonce-1"/);
	assert.match(first, /oauth_timestamp="1700000000"/);
	assert.doesNotMatch(first, /cs-1234567890|ts-1234567890/, 'the secrets are never printed');
	const otherNonce = await headerLine(dirs, key, url, ['--nonce', 'fixed-nonce-2', '--timestamp', '1700000000']);
	assert.notEqual(otherNonce.replace(/oauth_nonce="[^"]*"/, ''), first.replace(/oauth_nonce="[^"]*"/, ''), 'the nonce is signed');
});

test('auth header without credentials exits 3 naming the OAuth 2.0 client variables (the default kind)', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['auth', 'header', 'GET', 'https://va.example.liveperson.net/api/account/1/x?v=1'], {env: dirs.env});
	assert.equal(result.code, 3, result.stderr);
	for (const name of ['LP_CLIENT_ID', 'LP_CLIENT_SECRET']) {
		assert.match(result.stderr, new RegExp(`${name}\\b`));
	}

	assert.equal(result.stdout, '');
});

/** The demo OAuth 2.0 client of account 12345678, as `lp-onboard sandbox` prints it. */
async function demoClient(sandbox: Awaited<ReturnType<typeof startStandaloneSandbox>>) {
	const block = (await sandbox.process.waitForOutput(/Account 12345678 [^\n]*\n(?:.*\n)*?\s+client secret +(\w+)/))[0];
	const value = (label: string) => new RegExp(`^\\s+${label} +([\\w-]+)$`, 'm').exec(block)![1]!;
	return {LP_CLIENT_ID: value('client id'), LP_CLIENT_SECRET: value('client secret')};
}

test('auth header prints a Bearer header for an OAuth 2.0 client, and its --curl command gets 200 as pasted', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = await startStandaloneSandbox(t, dirs);
	const client = await demoClient(sandbox);
	const env = {...dirs.env, ...client, LP_ACCOUNT_ID: '12345678', LP_CSDS_URL: sandbox.url};
	const url = `http://va.accountconfigreadonly.sandbox.test:${sandbox.port}/api/account/12345678/configuration/le-users/users?v=6.0`;
	const line = await runCli(['auth', 'header', 'GET', url], {env});
	assert.equal(line.code, 0, line.stderr);
	assert.match(line.stdout, /^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+\n$/);
	const printed = await runCli(['auth', 'header', '--curl', 'GET', url], {env});
	assert.equal(printed.code, 0, printed.stderr);
	assert.match(printed.stdout, /^curl -sS -X GET -H 'Authorization: Bearer [^']+' --connect-to ::127\.0\.0\.1: 'http:/);
	const {stdout} = await exec('bash', ['-c', `${printed.stdout.trim()} -w '\\n%{http_code}'`]);
	assert.match(stdout, /\n200$/);
	assert.ok((JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) as unknown[]).length > 0);
	const token = await runCli(['auth', 'token'], {env});
	assert.equal(token.code, 0, token.stderr);
	assert.match(token.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'auth token prints the token alone, like gh auth token');
	const legacy = await runCli(['auth', 'token'], {env: {...dirs.env, ...sandbox.key}});
	assert.equal(legacy.code, 2);
	assert.match(legacy.stderr, /OAuth 1\.0 API key, which has no token/);
});

test('auth header with two of the four variables names the two missing ones', async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, LP_APP_KEY: 'ck', LP_ACCESS_TOKEN_SECRET: 'ts'};
	const result = await runCli(['auth', 'header', 'GET', 'https://va.example.liveperson.net/api/account/1/x?v=1'], {env});
	assert.notEqual(result.code, 0);
	assert.match(result.stderr, /LP_APP_SECRET/);
	assert.match(result.stderr, /LP_ACCESS_TOKEN\b/);
	assert.doesNotMatch(result.stderr, /LP_APP_KEY|LP_ACCESS_TOKEN_SECRET/);
});

test('auth header with a bad method or URL is a usage error (exit 2)', async t => {
	const dirs = await createCliEnv(t);
	const key = {LP_APP_KEY: 'ck', LP_APP_SECRET: 'cs', LP_ACCESS_TOKEN: 'tk', LP_ACCESS_TOKEN_SECRET: 'ts'};
	for (const args of [['auth', 'header', 'GET', 'not a url'], ['auth', 'header', 'GET'], ['auth', 'header', 'FETCH ME', 'https://example.com/']]) {
		const result = await runCli(args, {env: {...dirs.env, ...key}});
		assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.equal(result.stdout, '');
	}
});

test('domains --sandbox --json prints one JSON object of service → host', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['domains', '--sandbox', '--account', '12345678', '--json'], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	const domains = JSON.parse(result.stdout) as Record<string, string>;
	assert.equal(typeof domains, 'object');
	assert.ok(!Array.isArray(domains));
	for (const service of ['accountConfigReadOnly', 'accountConfigReadWrite', 'agentVep', 'faasUI', 'faasGW']) {
		assert.match(domains[service] ?? '', /^[\w.-]+\.sandbox\.test:\d+$/, `no host for ${service}`);
	}

	for (const host of Object.values(domains)) {
		assert.equal(typeof host, 'string');
	}
});

test('domains of an unknown account exits 5 with a clear message; a malformed id exits 2', async t => {
	const dirs = await createCliEnv(t);
	const unknown = await runCli(['domains', '--sandbox', '--account', '99999999', '--json'], {env: dirs.env});
	assert.equal(unknown.code, 5, unknown.stderr);
	assert.match(unknown.stderr, /99999999 was not found/);
	assert.equal(unknown.stdout, '');

	const malformed = await runCli(['domains', '--sandbox', '--account', 'no such!', '--json'], {env: dirs.env});
	assert.equal(malformed.code, 2, malformed.stderr);
	assert.match(malformed.stderr, /not a LivePerson account id/);
});

test('domains without an account and no terminal exits 3 naming --account', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['domains', '--sandbox', '--json'], {env: {...dirs.env, CI: 'true'}});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /--account/);
	assert.match(result.stderr, /LP_ACCOUNT_ID/);
});

test('auth header reads the four values from --stdin as KEY=VALUE lines, the same as from the environment', async t => {
	const dirs = await createCliEnv(t);
	const key = {LP_APP_KEY: 'ck-stdin-0001', LP_APP_SECRET: 'cs-stdin-0001', LP_ACCESS_TOKEN: 'tk-stdin-0001', LP_ACCESS_TOKEN_SECRET: 'ts-stdin-0001'};
	const url = 'https://va.example.liveperson.net/api/account/12345678/configuration/le-users/users?v=4.0';
	const fixed = ['--nonce', 'stdin-nonce', '--timestamp', '1700000000'];
	const fromEnv = await headerLine(dirs, key, url, fixed);
	const stdin = Object.entries(key).map(([name, value]) => `${name}=${value}`).join('\n');
	const fromStdin = await runCli(['auth', 'header', 'GET', url, ...fixed, '--stdin'], {env: dirs.env, stdin: `${stdin}\n`});
	assert.equal(fromStdin.code, 0, fromStdin.stderr);
	assert.equal(fromStdin.stdout, `${fromEnv}\n`);
});

test('auth header --curl prints a command that works as pasted against `lp-onboard sandbox`', async t => {
	const dirs = await createCliEnv(t);
	const {port, key} = await startStandaloneSandbox(t, dirs);
	const url = `http://va.accountconfigreadonly.sandbox.test:${port}/api/account/12345678/configuration/le-users/users?v=4.0`;
	const printed = await runCli(['auth', 'header', '--curl', 'GET', url], {env: {...dirs.env, ...key}});
	assert.equal(printed.code, 0, printed.stderr);
	assert.match(printed.stdout, /^curl -sS -X GET -H 'Authorization: OAuth [^']+' --connect-to ::127\.0\.0\.1: 'http:/);
	const {stdout} = await exec('bash', ['-c', `${printed.stdout.trim()} -w '\\n%{http_code}'`]);
	assert.match(stdout, /\n200$/);
	assert.ok((JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) as unknown[]).length > 0);
});

test('auth header --curl on the in-process sandbox says the curl has nothing to reach once the command ends, and how to get one', async t => {
	const dirs = await createCliEnv(t);
	const url = 'http://va.accountconfigreadonly.sandbox.test:1/api/account/12345678/configuration/le-users/users?v=6.0';
	const args = ['--sandbox', '--demo', 'auth', 'header', '--account', '12345678', 'GET', url];
	const curl = await runCli([...args, '--curl'], {env: dirs.env});
	assert.equal(curl.code, 0, curl.stderr);
	assert.match(curl.stdout, /^curl -sS -X GET -H 'Authorization: Bearer /);
	assert.match(curl.stderr, /stops when this command ends[\s\S]*`lp-onboard sandbox`[\s\S]*--csds-url/);
	const line = await runCli(args, {env: dirs.env});
	assert.equal(line.code, 0, line.stderr);
	assert.doesNotMatch(line.stderr, /stops when this command ends/, 'a header line alone is for pasting elsewhere');
});

test('a Bearer header is printed only for the account\'s hosts (as api sends it), or a host named with --send-credentials-to', async t => {
	const dirs = await createCliEnv(t);
	const base = ['--sandbox', '--demo', 'auth', 'header', '--account', '12345678', 'GET'];
	for (const url of ['https://evil.example.com/x', 'https://va.ac.liveperson.net/api/account/12345678/configuration/le-users/users?v=6.0']) {
		const refused = await runCli([...base, url], {env: dirs.env});
		assert.equal(refused.code, 2, refused.stderr);
		assert.equal(refused.stdout, '');
		assert.match(refused.stderr, new RegExp(`Refusing to print a Bearer token for ${new URL(url).host.replaceAll('.', '\\.')}: it is not one of the account's LivePerson hosts`));
		assert.match(refused.stderr, /--send-credentials-to/);
	}

	const named = await runCli([...base, 'https://api.example.com/x', '--send-credentials-to', 'api.example.com'], {env: dirs.env});
	assert.equal(named.code, 0, named.stderr);
	assert.match(named.stdout, /^Authorization: Bearer /);
	// A legacy key's signature is bound to its method and URL: printed for any URL, as the Getting Started page signs.
	const signed = await runCli(['auth', 'header', 'GET', 'https://evil.example.com/x?v=1'], {env: {...dirs.env, LP_APP_KEY: 'k', LP_APP_SECRET: 's', LP_ACCESS_TOKEN: 't', LP_ACCESS_TOKEN_SECRET: 'u'}});
	assert.equal(signed.code, 0, signed.stderr);
	assert.match(signed.stdout, /^Authorization: OAuth /);
});

test('auth header takes a path as api does: the host is the one CSDS lists for its service', async t => {
	const dirs = await createCliEnv(t);
	const path = '/api/account/{accountId}/configuration/le-users/users?v=6.0';
	const curl = await runCli(['--sandbox', '--demo', 'auth', 'header', '--account', '12345678', 'GET', path, '--curl'], {env: dirs.env});
	assert.equal(curl.code, 0, curl.stderr);
	assert.match(curl.stdout, /^curl -sS -X GET -H 'Authorization: Bearer [^']+' .*'http:\/\/va\.accountconfigreadonly\.sandbox\.test:\d+\/api\/account\/12345678\/configuration\/le-users\/users\?v=6\.0'/);
	const noAccount = await runCli(['auth', 'header', 'GET', path], {env: {...dirs.env, LP_APP_KEY: 'k', LP_APP_SECRET: 's', LP_ACCESS_TOKEN: 't', LP_ACCESS_TOKEN_SECRET: 'u'}});
	assert.equal(noAccount.code, 2, noAccount.stderr);
	assert.match(noAccount.stderr, /is a path: which account's hosts serve it\?/);
});
