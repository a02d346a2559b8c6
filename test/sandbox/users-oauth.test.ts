import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {
	call, loginAs, newBot, oauthHeader, serviceHost, usersPath,
} from '../support/sandbox-client.js';

let sandbox: Sandbox;
const clock = 1_700_000_000_000;
const nowSeconds = () => Math.floor(clock / 1000);

before(async () => {
	sandbox = await startSandbox({now: () => clock});
});

after(async () => {
	await sandbox.close();
});

const key = () => sandbox.demo.accounts['12345678'].apiKey;
const readHost = () => serviceHost(sandbox, 'accountConfigReadOnly');
const writeHost = () => serviceHost(sandbox, 'accountConfigReadWrite');

async function signedList(options: {accountId?: string; sign?: Partial<Parameters<typeof oauthHeader>[1]>; credentials?: ReturnType<typeof key>; path?: string} = {}) {
	const accountId = options.accountId ?? '12345678';
	const path = options.path ?? `${usersPath(accountId)}?v=4.0`;
	const authorization = oauthHeader(options.credentials ?? key(), {
		method: 'GET', url: `http://${readHost()}${path}`, timestamp: nowSeconds(), ...options.sign,
	});
	return call(sandbox, path, {host: readHost(), headers: {authorization}});
}

function problem(text: string): string | undefined {
	return new URLSearchParams(text).get('oauth_problem') ?? undefined;
}

test('accepts a request signed with the account\'s API key and lists the users', async () => {
	const reply = await signedList();
	assert.equal(reply.status, 200, reply.text);
	assert.deepEqual(reply.json.map((user: {loginName: string}) => user.loginName).sort(), ['admin', 'agent']);
	assert.ok(reply.json.every((user: Record<string, unknown>) => !('password' in user) && !('passwordSh' in user)));
	assert.equal(typeof reply.headers['ac-revision'], 'string');
});

test('accepts a signed request sent to 127.0.0.1 when the signature covers that host', async () => {
	const path = `${usersPath('12345678')}?v=4.0`;
	const authorization = oauthHeader(key(), {method: 'GET', url: `${sandbox.url}${path}`, timestamp: nowSeconds()});
	const reply = await call(sandbox, path, {headers: {authorization}});
	assert.equal(reply.status, 200, reply.text);
});

test('refuses a bad signature with oauth_problem=signature_invalid', async () => {
	const reply = await signedList({credentials: {...key(), appSecret: 'not-the-secret-at-all'}});
	assert.equal(reply.status, 401);
	assert.equal(problem(reply.text), 'signature_invalid');
	assert.match(reply.text, /^oauth_problem=signature_invalid&oauth_problem_advice=/);
});

test('refuses a signature that left out the query parameters', async () => {
	const path = `${usersPath('12345678')}?v=4.0`;
	const authorization = oauthHeader(key(), {method: 'GET', url: `http://${readHost()}${usersPath('12345678')}`, timestamp: nowSeconds()});
	const reply = await call(sandbox, path, {host: readHost(), headers: {authorization}});
	assert.equal(reply.status, 401);
	assert.equal(problem(reply.text), 'signature_invalid');
});

test('refuses a signature made for another host', async () => {
	const path = `${usersPath('12345678')}?v=4.0`;
	const authorization = oauthHeader(key(), {method: 'GET', url: `http://${writeHost()}${path}`, timestamp: nowSeconds()});
	const reply = await call(sandbox, path, {host: readHost(), headers: {authorization}});
	assert.equal(problem(reply.text), 'signature_invalid');
});

test('refuses an unknown consumer key and a key of another account', async () => {
	const unknown = await signedList({credentials: {...key(), appKey: 'ffffffffffffffffffffffffffffffff'}});
	assert.equal(unknown.status, 401);
	assert.equal(problem(unknown.text), 'consumer_key_unknown');
	const foreign = await signedList({credentials: sandbox.demo.accounts['87654321'].apiKey});
	assert.equal(foreign.status, 401);
	assert.equal(problem(foreign.text), 'consumer_key_unknown');
});

test('refuses an access token that does not belong to the key', async () => {
	const reply = await signedList({credentials: {...key(), accessToken: sandbox.demo.accounts['87654321'].apiKey.accessToken}});
	assert.equal(reply.status, 401);
	assert.equal(problem(reply.text), 'token_rejected');
});

test('refuses timestamps more than 300 seconds away from the server clock, either way', async () => {
	const late = await signedList({sign: {timestamp: nowSeconds() - 301}});
	assert.equal(late.status, 401);
	assert.equal(problem(late.text), 'timestamp_refused');
	const early = await signedList({sign: {timestamp: nowSeconds() + 301}});
	assert.equal(problem(early.text), 'timestamp_refused');
	assert.equal((await signedList({sign: {timestamp: nowSeconds() - 299}})).status, 200);
});

test('checks timestamps against the skewed server clock', async () => {
	sandbox.setClockSkew(10 * 60 * 1000);
	try {
		const stale = await signedList();
		assert.equal(stale.status, 401);
		assert.equal(problem(stale.text), 'timestamp_refused');
		const matching = await signedList({sign: {timestamp: nowSeconds() + 600}});
		assert.equal(matching.status, 200, matching.text);
	} finally {
		sandbox.setClockSkew(0);
	}
});

test('refuses a nonce that was used before', async () => {
	const first = await signedList({sign: {nonce: 'once-only-nonce'}});
	assert.equal(first.status, 200);
	const replay = await signedList({sign: {nonce: 'once-only-nonce'}});
	assert.equal(replay.status, 401);
	assert.equal(problem(replay.text), 'nonce_used');
});

test('does not burn a nonce on a request that failed verification', async () => {
	const bad = await signedList({sign: {nonce: 'retry-nonce'}, credentials: {...key(), accessTokenSecret: 'wrong-token-secret-value'}});
	assert.equal(problem(bad.text), 'signature_invalid');
	assert.equal((await signedList({sign: {nonce: 'retry-nonce'}})).status, 200);
});

test('refuses calls without credentials and with a bearer of another account', async () => {
	const none = await call(sandbox, `${usersPath('12345678')}?v=4.0`);
	assert.equal(none.status, 401);
	assert.equal(none.json.error.responseStatus, 'UNAUTHORIZED');
	const {bearer} = await loginAs(sandbox, '87654321', 'admin', 'sandbox-admin-pass');
	const foreign = await call(sandbox, `${usersPath('12345678')}?v=4.0`, {headers: {authorization: `Bearer ${bearer}`}});
	assert.equal(foreign.status, 401);
});

test('requires v=4.0 on the Users API', async () => {
	assert.equal((await signedList({path: usersPath('12345678')})).status, 400);
	assert.equal((await signedList({path: `${usersPath('12345678')}?v=2.0`})).status, 400);
});

test('verifies form-encoded body parameters as part of the signature', async () => {
	const path = `${usersPath('12345678')}?v=4.0`;
	const data = {extra: 'value with spaces'};
	const authorization = oauthHeader(key(), {method: 'POST', url: `http://${writeHost()}${path}`, timestamp: nowSeconds(), data});
	const headers = {authorization, 'content-type': 'application/x-www-form-urlencoded'};
	const tampered = await call(sandbox, path, {method: 'POST', host: writeHost(), headers, body: 'extra=other'});
	assert.equal(problem(tampered.text), 'signature_invalid');
	const signed = await call(sandbox, path, {method: 'POST', host: writeHost(), headers, body: 'extra=value%20with%20spaces'});
	// The signature holds; the body is not a user, so the Users API refuses it with 400.
	assert.equal(signed.status, 400, signed.text);
});

async function createSigned(body: unknown, accountId = '12345678') {
	const path = `${usersPath(accountId)}?v=4.0`;
	const credentials = sandbox.demo.accounts[accountId as '12345678'].apiKey;
	const authorization = oauthHeader(credentials, {method: 'POST', url: `http://${writeHost()}${path}`, timestamp: nowSeconds()});
	return call(sandbox, path, {method: 'POST', host: writeHost(), headers: {authorization}, body});
}

test('creates a bot user from a single object and lists it afterwards', async () => {
	const reply = await createSigned(newBot('bot-single', key().appKey));
	assert.equal(reply.status, 201, reply.text);
	assert.equal(reply.json.loginName, 'bot-single');
	assert.equal(reply.json.userTypeId, 2);
	assert.equal(reply.json.allowedAppKeys, key().appKey);
	assert.match(reply.json.id, /^\d+$/);
	assert.match(String(reply.headers['ac-revision']), /^\d+$/);
	assert.ok(sandbox.state('12345678').users.some(user => user.loginName === 'bot-single'));
	const list = await signedList();
	assert.ok(list.json.some((user: {id: string}) => user.id === reply.json.id));
});

test('answers an array with an array', async () => {
	const reply = await createSigned([newBot('bot-array-1', key().appKey), newBot('bot-array-2', key().appKey)]);
	assert.equal(reply.status, 201, reply.text);
	assert.ok(Array.isArray(reply.json));
	assert.deepEqual(reply.json.map((user: {loginName: string}) => user.loginName), ['bot-array-1', 'bot-array-2']);
});

test('creates users with a bearer session too', async () => {
	const {bearer} = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
	const reply = await call(sandbox, `${usersPath('12345678')}?v=4.0`, {
		method: 'POST', host: writeHost(), headers: {authorization: `Bearer ${bearer}`}, body: newBot('bot-bearer', key().appKey),
	});
	assert.equal(reply.status, 201, reply.text);
});

test('refuses an API user without allowedAppKeys, missing required fields and a duplicate loginName', async () => {
	const noKeys = await createSigned(newBot('bot-no-keys', undefined));
	assert.equal(noKeys.status, 400);
	assert.match(noKeys.json.error.message, /allowedAppKeys/);

	for (const field of ['loginName', 'fullName', 'nickname', 'email', 'isEnabled', 'maxChats', 'profileIds']) {
		const {[field as 'email']: _removed, ...rest} = newBot(`bot-missing-${field}`, key().appKey);
		const reply = await createSigned(rest);
		assert.equal(reply.status, 400, field);
		assert.match(reply.json.error.message, new RegExp(field), field);
	}

	const duplicate = await createSigned(newBot('agent', key().appKey));
	assert.equal(duplicate.status, 400);
	assert.match(duplicate.json.error.message, /already exists/);
	const inBatch = await createSigned([newBot('bot-twice', key().appKey), newBot('bot-twice', key().appKey)]);
	assert.equal(inBatch.status, 400);
	assert.ok(!sandbox.state('12345678').users.some(user => user.loginName === 'bot-twice'));
});

test('logs a bot in with the API key once it is allowed that app key', async () => {
	const credentials = key();
	const body = {
		username: 'bot-login', appKey: credentials.appKey, secret: credentials.appSecret,
		accessToken: credentials.accessToken, accessTokenSecret: credentials.accessTokenSecret,
	};
	const loginPath = '/api/account/12345678/login?v=1.3';
	const beforeCreate = await call(sandbox, loginPath, {method: 'POST', body});
	assert.equal(beforeCreate.status, 401);

	assert.equal((await createSigned(newBot('bot-login', credentials.appKey))).status, 201);
	const ok = await call(sandbox, loginPath, {method: 'POST', host: serviceHost(sandbox, 'agentVep'), body});
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.config.loginName, 'bot-login');
	assert.equal(ok.json.config.isAdmin, false);

	const wrongSecret = await call(sandbox, loginPath, {method: 'POST', body: {...body, accessTokenSecret: 'x'.repeat(32)}});
	assert.equal(wrongSecret.status, 401);
	const humanWithKey = await call(sandbox, loginPath, {method: 'POST', body: {...body, username: 'agent'}});
	assert.equal(humanWithKey.status, 401);
});

test('refuses API-key login for a bot whose allowedAppKeys lacks the key', async () => {
	assert.equal((await createSigned(newBot('bot-other-key', 'some-other-app-key-0000000000'))).status, 201);
	const credentials = key();
	const reply = await call(sandbox, '/api/account/12345678/login?v=1.3', {
		method: 'POST',
		body: {
			username: 'bot-other-key', appKey: credentials.appKey, secret: credentials.appSecret,
			accessToken: credentials.accessToken, accessTokenSecret: credentials.accessTokenSecret,
		},
	});
	assert.equal(reply.status, 401);
});

test('lets the seeded bot of the provisioned account log in with its key', async () => {
	const account = sandbox.demo.accounts['11223344'];
	const {apiKey} = account;
	const reply = await call(sandbox, '/api/account/11223344/login?v=1.3', {
		method: 'POST',
		body: {
			username: account.botLoginName, appKey: apiKey.appKey, secret: apiKey.appSecret,
			accessToken: apiKey.accessToken, accessTokenSecret: apiKey.accessTokenSecret,
		},
	});
	assert.equal(reply.status, 200, reply.text);
});

test('lists each account\'s own profiles (long ids, role types) and agent groups (one root), signed with the API key', async () => {
	const profiles = await signedList({path: '/api/account/12345678/configuration/le-users/profiles?v=4.0'});
	assert.equal(profiles.status, 200, profiles.text);
	assert.deepEqual(profiles.json.map((profile: {roleTypeId: number}) => profile.roleTypeId), [1, 2, 3, 4]);
	assert.ok(profiles.json.every((profile: {id: number}) => profile.id > 1_000_000_000), 'per-account long ids, not 1, 2, 3');
	const groups = await signedList({path: '/api/account/12345678/configuration/le-users/agentGroups?v=4.0'});
	assert.equal(groups.status, 200, groups.text);
	assert.equal(groups.json.filter((group: {parentGroupId: unknown}) => group.parentGroupId === null).length, 1);
	const other = await signedList({accountId: '87654321', credentials: sandbox.demo.accounts['87654321'].apiKey, path: '/api/account/87654321/configuration/le-users/profiles?v=4.0'});
	assert.notDeepEqual(other.json.map((profile: {id: number}) => profile.id), profiles.json.map((profile: {id: number}) => profile.id));
	assert.equal((await signedList({path: '/api/account/12345678/configuration/le-users/profiles'})).status, 400, 'v is required');
});

test('refuses a profile id the account does not have, and an Agent-role user without memberOf or with an unknown group', async () => {
	const unknownProfile = await createSigned({...newBot('bot-profile-3', key().appKey), profileIds: [3]});
	assert.equal(unknownProfile.status, 400);
	assert.match(unknownProfile.json.error.message, /Profile 3 does not exist/);
	const {memberOf: _memberOf, ...noGroup} = newBot('bot-no-group', key().appKey);
	const missing = await createSigned(noGroup);
	assert.equal(missing.status, 400);
	assert.match(missing.json.error.message, /memberOf/);
	const unknownGroup = await createSigned({...newBot('bot-bad-group', key().appKey), memberOf: {agentGroupId: 1}});
	assert.equal(unknownGroup.status, 400);
	assert.match(unknownGroup.json.error.message, /Agent group 1 does not exist/);
	assert.ok(!sandbox.state('12345678').users.some(user => /^bot-(profile-3|no-group|bad-group)$/.test(user.loginName)));
});
