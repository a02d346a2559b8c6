import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {connect} from 'node:tls';
import {test} from 'node:test';
import {request} from 'undici';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {createCliEnv, runCli, spawnCli} from '../support/cli.js';
import {call, oauthHeader, usersPath} from '../support/sandbox-client.js';

async function tlsSandbox(t: {after(fn: () => Promise<void>): void}, directory: string): Promise<Sandbox> {
	const sandbox = await startSandbox({tls: {directory}});
	t.after(async () => sandbox.close());
	return sandbox;
}

/** The names the served certificate is valid for, as a TLS client checking against the CA sees them. */
async function verifiedFor(sandbox: Sandbox, servername: string | undefined): Promise<boolean> {
	const ca = await readFile(sandbox.caFile!, 'utf8');
	return new Promise(resolve => {
		const socket = connect({host: '127.0.0.1', port: sandbox.port, ca, ...(servername ? {servername} : {})}, () => {
			socket.end();
			resolve(true);
		});
		socket.on('error', () => {
			resolve(false);
		});
	});
}

test('--tls serves https from a CA kept in the directory; CSDS hands out 127.0.0.1:PORT for every service', async t => {
	const dirs = await createCliEnv(t, 'lp-tls-');
	const sandbox = await tlsSandbox(t, dirs.stateDir);
	assert.equal(sandbox.url, `https://127.0.0.1:${sandbox.port}`);
	assert.equal(sandbox.caFile, join(dirs.stateDir, 'sandbox-ca.pem'));
	assert.equal((await stat(join(dirs.stateDir, 'sandbox-ca-key.pem'))).mode & 0o777, 0o600);
	const csds = await call(sandbox, '/api/account/12345678/service/baseURI.json?version=1.0');
	assert.equal(csds.status, 200);
	assert.ok(csds.json.baseURIs.every((entry: {baseURI: string}) => entry.baseURI === `127.0.0.1:${sandbox.port}`));
	const login = await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
	assert.ok(login.json.csdsCollectionResponse.baseURIs.every((entry: {baseURI: string}) => entry.baseURI === `127.0.0.1:${sandbox.port}`));

	// Verified against the CA for the loopback names, and for nothing else; without the CA, refused.
	assert.equal(await verifiedFor(sandbox, undefined), true);
	assert.equal(await verifiedFor(sandbox, 'localhost'), true);
	assert.equal(await verifiedFor(sandbox, 'api.liveperson.net'), false);
	await assert.rejects(request(`${sandbox.url}/api/account/12345678/service/baseURI.json?version=1.0`), /self.signed|unable to verify|certificate/i);

	// The next run keeps the CA, so the NODE_EXTRA_CA_CERTS a developer set keeps working.
	const ca = await readFile(sandbox.caFile, 'utf8');
	const again = await tlsSandbox(t, dirs.stateDir);
	assert.equal(await readFile(again.caFile!, 'utf8'), ca);
	assert.equal((await call(again, '/api/account/12345678/service/baseURI.json?version=1.0')).status, 200);
});

test('the OAuth 1.0 verifier rebuilds the base string with the scheme the request came in on', async t => {
	const dirs = await createCliEnv(t, 'lp-tls-');
	const secure = await tlsSandbox(t, dirs.stateDir);
	const plain = await startSandbox();
	t.after(async () => plain.close());
	const key = secure.demo.accounts['12345678'].apiKey;
	const path = `${usersPath('12345678')}?v=4.0`;
	const signed = async (sandbox: Sandbox, scheme: string) => {
		const host = `127.0.0.1:${sandbox.port}`;
		const authorization = oauthHeader(key, {method: 'GET', url: `${scheme}://${host}${path}`});
		return call(sandbox, path, {headers: {authorization}});
	};

	assert.equal((await signed(secure, 'https')).status, 200);
	const httpOnHttps = await signed(secure, 'http');
	assert.equal(httpOnHttps.status, 401);
	assert.equal(new URLSearchParams(httpOnHttps.text).get('oauth_problem'), 'signature_invalid');
	assert.equal((await signed(plain, 'http')).status, 200);
	assert.equal((await signed(plain, 'https')).status, 401);
});

test('lp-onboard sandbox --tls prints the CA and each client\'s variable; lp-onboard and the printed curl work with them', async t => {
	const dirs = await createCliEnv(t, 'lp-tls-cli-');
	const sandbox = spawnCli(['sandbox', '--port', '0', '--tls'], {env: dirs.env});
	t.after(async () => sandbox.stop());
	const [, url] = await sandbox.waitForOutput(/listening on (https:\/\/127\.0\.0\.1:\d+)/);
	const caFile = join(dirs.stateDir, 'sandbox-ca.pem');
	const banner = (await sandbox.waitForOutput(/node-agent-sdk: new Agent[^\n]*\n/)).input!;
	assert.ok(banner.includes(`NODE_EXTRA_CA_CERTS='${caFile}'`));
	assert.ok(banner.includes(`curl --cacert '${caFile}'`));
	assert.ok(banner.includes(`csdsDomain: '${new URL(url!).host}'`));

	// lp-onboard itself, trusting the CA through the printed variable.
	const env = {...dirs.env, NODE_EXTRA_CA_CERTS: caFile, CI: 'true', NO_COLOR: '1'};
	const domains = await runCli(['domains', '--csds-url', url!, '--account', '12345678', '--json'], {env});
	assert.equal(domains.code, 0, domains.stderr);
	assert.equal((JSON.parse(domains.stdout) as Record<string, string>)['agentVep'], new URL(url!).host);

	// auth header --curl: the command, pasted into a shell, gets a 200 from the TLS sandbox.
	const key = (await import('../../source/sandbox/seed.js')).createDemoData().accounts['12345678'].apiKey;
	const keyEnv = {LP_APP_KEY: key.appKey, LP_APP_SECRET: key.appSecret, LP_ACCESS_TOKEN: key.accessToken, LP_ACCESS_TOKEN_SECRET: key.accessTokenSecret};
	const printed = await runCli(['auth', 'header', 'GET', `${url!}${usersPath('12345678')}?v=4.0`, '--curl'], {env: {...env, ...keyEnv}});
	assert.equal(printed.code, 0, printed.stderr);
	assert.match(printed.stdout, /--cacert '/);
	const pasted = await new Promise<{code: number; stdout: string}>(resolve => {
		execFile('bash', ['-c', `${printed.stdout.trim()} -w '\\n%{http_code}'`], {env: {PATH: dirs.env['PATH']!}}, (error, stdout) => {
			resolve({code: error ? Number(error.code ?? 1) : 0, stdout});
		});
	});
	assert.equal(pasted.code, 0);
	assert.equal(pasted.stdout.trim().split('\n').at(-1), '200');
});
