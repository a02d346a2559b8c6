// The sandbox's Sentinel: the v2 token endpoint, RS256 tokens checked with an independent JWT library (jose) against the
// published JWKS, per-client scopes on the Users API v6.0, the bot login with an OAuth 2.0 client, and the demo account
// past OAuth 1.0's end of life.
import assert from 'node:assert/strict';
import {mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {createLocalJWKSet, createRemoteJWKSet, jwtVerify} from 'jose';
import {startSandbox, type Sandbox} from '../../source/sandbox/server.js';
import {call, loginAs, newBot, oauthHeader, serviceHost} from '../support/sandbox-client.js';

let sandbox: Sandbox;
let now = Date.now();
before(async () => {
	sandbox = await startSandbox({port: 0, now: () => now});
});
after(async () => sandbox.close());

const sentinelHost = () => serviceHost(sandbox, 'sentinel');
const usersPath = (accountId: string, version = '6.0') => `/api/account/${accountId}/configuration/le-users/users?v=${version}`;

async function token(accountId: string, form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
	return call(sandbox, `/sentinel/api/v2/account/${accountId}/app/token?v=2.0`, {
		method: 'POST',
		host: sentinelHost(),
		headers: {'content-type': contentType},
		body: contentType.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
	});
}

async function demoToken(accountId: '12345678' | '22334455' = '12345678'): Promise<string> {
	const {client} = sandbox.demo.accounts[accountId];
	const reply = await token(accountId, {client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials'});
	assert.equal(reply.status, 200, reply.text);
	return reply.json.access_token as string;
}

test('CSDS lists a sentinel host for every account', async () => {
	const reply = await call(sandbox, '/api/account/12345678/service/sentinel/baseURI.json?version=1.0');
	assert.equal(reply.status, 200);
	assert.equal(reply.json.baseURI, sentinelHost());
});

test('the v2 token endpoint answers a Bearer RS256 JWT, expires_in as a string, that jose verifies against the JWKS', async () => {
	const {client} = sandbox.demo.accounts['12345678'];
	const reply = await token('12345678', {client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials'});
	assert.equal(reply.status, 200, reply.text);
	assert.equal(reply.json.token_type, 'Bearer');
	assert.equal(reply.json.expires_in, '3600');
	const jwks = createRemoteJWKSet(new URL(`${sandbox.url}/sentinel/well-known/jwks`));
	const {payload, protectedHeader} = await jwtVerify(reply.json.access_token as string, jwks, {algorithms: ['RS256'], currentDate: new Date(now)});
	assert.equal(protectedHeader.alg, 'RS256');
	assert.equal(payload['accountId'], '12345678');
	assert.equal(payload['client_id'], client.clientId);
	assert.equal(payload['scope'], client.scopes.join(' '));
	assert.equal(payload.exp! - payload.iat!, 3600);
});

test('a token that is tampered with, or signed by another sandbox\'s key, fails jose\'s check', async () => {
	const jwks = await call(sandbox, '/sentinel/well-known/jwks');
	const keys = createLocalJWKSet(jwks.json as {keys: []});
	const good = await demoToken();
	const [header, payload, signature] = good.split('.') as [string, string, string];
	const forged = Buffer.from(JSON.stringify({...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'everything'})).toString('base64url');
	await assert.rejects(jwtVerify(`${header}.${forged}.${signature}`, keys, {currentDate: new Date(now)}));
	const other = await startSandbox({port: 0});
	try {
		const {client} = other.demo.accounts['12345678'];
		const answer = await call(other, '/sentinel/api/v2/account/12345678/app/token', {
			method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'},
			body: new URLSearchParams({client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials'}).toString(),
		});
		await assert.rejects(jwtVerify(answer.json.access_token as string, keys, {currentDate: new Date(now)}));
		assert.equal((await call(sandbox, usersPath('12345678'), {headers: {authorization: `Bearer ${answer.json.access_token as string}`}})).status, 401);
	} finally {
		await other.close();
	}
});

test('400 for a wrong secret, an unknown client, another account\'s client, a wrong grant or a JSON body', async () => {
	const {client} = sandbox.demo.accounts['12345678'];
	const good = {client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials'};
	for (const [form, error] of [
		[{...good, client_secret: 'wrong'}, 'invalid_client'],
		[{...good, client_id: 'nobody'}, 'invalid_client'],
		[{...good, grant_type: 'password'}, 'unsupported_grant_type'],
	] as const) {
		const reply = await token('12345678', form);
		assert.equal(reply.status, 400);
		assert.equal(reply.json.error, error);
	}

	assert.equal((await token('87654321', good)).status, 400, 'a client of 12345678 is not one of 87654321');
	assert.equal((await token('12345678', good, 'application/json')).status, 400);
});

test('Users API v6.0: 200 with a valid token; 401 without one, with a login bearer, expired, or without a users scope', async () => {
	const valid = await demoToken();
	assert.equal((await call(sandbox, usersPath('12345678'), {headers: {authorization: `Bearer ${valid}`}})).status, 200);
	assert.equal((await call(sandbox, usersPath('12345678'))).status, 401);
	const session = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	assert.equal((await call(sandbox, usersPath('12345678'), {headers: {authorization: `Bearer ${session.bearer}`}})).status, 401, 'a login bearer');
	assert.equal((await call(sandbox, usersPath('87654321'), {headers: {authorization: `Bearer ${valid}`}})).status, 401, 'another account');
	const invoker = sandbox.demo.accounts['12345678'].otherClients[0]!;
	const unscoped = await token('12345678', {client_id: invoker.clientId, client_secret: invoker.clientSecret, grant_type: 'client_credentials'});
	assert.equal(unscoped.status, 200);
	const refused = await call(sandbox, usersPath('12345678'), {headers: {authorization: `Bearer ${unscoped.json.access_token as string}`}});
	assert.equal(refused.status, 401);
	assert.match(refused.json.error.message, /scopes users\.external/);
	now += 3600 * 1000;
	try {
		assert.equal((await call(sandbox, usersPath('12345678'), {headers: {authorization: `Bearer ${valid}`}})).status, 401, 'expired');
	} finally {
		now -= 3600 * 1000;
	}

	// No page says v4.0 refuses OAuth 2.0, so the sandbox takes the token there too (its choice, docs/contract.md); the
	// scope rule is the same.
	assert.equal((await call(sandbox, usersPath('12345678', '4.0'), {headers: {authorization: `Bearer ${valid}`}})).status, 200, 'v4.0 takes the token');
	const unscopedAt4 = await call(sandbox, usersPath('12345678', '4.0'), {headers: {authorization: `Bearer ${unscoped.json.access_token as string}`}});
	assert.equal(unscopedAt4.status, 401, 'v4.0 wants a users scope too');
	const profiles = await call(sandbox, '/api/account/12345678/configuration/le-users/profiles?v=4.0', {headers: {authorization: `Bearer ${valid}`}});
	assert.equal(profiles.status, 200, 'Profiles reads take the token (indirectly documented)');
});

test('a bot user listing the client id logs in with the client id, the secret and "dummy" token fields', async () => {
	const {client} = sandbox.demo.accounts['12345678'];
	const bearer = await demoToken();
	const created = await call(sandbox, usersPath('12345678'), {method: 'POST', headers: {authorization: `Bearer ${bearer}`}, body: newBot('client-bot', client.clientId)});
	assert.equal(created.status, 201, created.text);
	const login = async (body: Record<string, string>) => call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', host: serviceHost(sandbox, 'agentVep'), body});
	const ok = await login({username: 'client-bot', appKey: client.clientId, secret: client.clientSecret, accessToken: 'dummy', accessTokenSecret: 'dummy'});
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.config.loginName, 'client-bot');
	assert.equal((await login({username: 'client-bot', appKey: client.clientId, secret: 'wrong', accessToken: 'dummy', accessTokenSecret: 'dummy'})).status, 401);
});

test('the account past OAuth 1.0\'s end of life refuses its key with a clear message, and takes its client', async () => {
	const account = sandbox.demo.accounts['22334455'];
	const host = serviceHost(sandbox, 'accountConfigReadOnly');
	const path = usersPath('22334455', '4.0');
	const refused = await call(sandbox, path, {host, headers: {authorization: oauthHeader(account.apiKey, {method: 'GET', url: `http://${host}${path}`})}});
	assert.equal(refused.status, 401);
	assert.match(refused.json.error.message, /end of life on 2026-05-31/);
	const bearer = await demoToken('22334455');
	assert.equal((await call(sandbox, usersPath('22334455'), {headers: {authorization: `Bearer ${bearer}`}})).status, 200);
	const keyedOn12 = sandbox.demo.accounts['12345678'].apiKey;
	const path12 = usersPath('12345678', '4.0');
	assert.equal((await call(sandbox, path12, {host, headers: {authorization: oauthHeader(keyedOn12, {method: 'GET', url: `http://${host}${path12}`})}})).status, 200, 'the other accounts still take keys');
});

test('with a state file, every sandbox on it signs with the same key, kept 0600 beside the state', async () => {
	const directory = await mkdtemp(join(tmpdir(), 'lp-sentinel-'));
	const stateFile = join(directory, 'state', 'sandbox-state.json');
	const [first, second] = await Promise.all([startSandbox({port: 0, stateFile}), startSandbox({port: 0, stateFile})]);
	try {
		const {client} = first.demo.accounts['12345678'];
		const answer = await call(first, '/sentinel/api/v2/account/12345678/app/token', {
			method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'},
			body: new URLSearchParams({client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials'}).toString(),
		});
		const reply = await call(second, usersPath('12345678'), {headers: {authorization: `Bearer ${answer.json.access_token as string}`}});
		assert.equal(reply.status, 200, 'the second sandbox verifies the first one\'s token');
		assert.deepEqual((await call(first, '/sentinel/well-known/jwks')).json, (await call(second, '/sentinel/well-known/jwks')).json);
		assert.equal((await stat(`${stateFile}.sentinel-key.json`)).mode & 0o777, 0o600);
	} finally {
		await Promise.all([first.close(), second.close()]);
		await rm(directory, {recursive: true, force: true});
	}
});
