import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {request} from 'undici';
import {HttpError} from '../../source/errors.js';
import {createDispatcher} from '../../source/liveperson/dispatcher.js';
import {createOAuthSigner} from '../../source/liveperson/oauth.js';
import type {NewUser} from '../../source/liveperson/types.js';
import {listedUserFields} from '../../source/liveperson/users.js';
import {createSandboxWorld} from '../support/world.js';
import {createDemoData} from '../../source/sandbox/seed.js';

async function setup(t: TestContext) {
	const fixture = await createSandboxWorld({test: t});
	const domains = await fixture.api.domains('12345678');
	const {apiKey} = fixture.sandbox.demo.accounts['12345678'];
	return {...fixture, domains, apiKey, auth: {oauth: apiKey}};
}

const bot: NewUser = {
	loginName: 'lp-onboard-bot',
	fullName: 'lp-onboard bot',
	nickname: 'bot',
	email: 'bot@example.com',
	isEnabled: true,
	maxChats: 0,
	// 12345678's Agent profile and root agent group, as the sandbox seeds them.
	profileIds: [createDemoData().accounts['12345678'].profiles.find(profile => profile.roleTypeId === 2)!.id],
	memberOf: {agentGroupId: createDemoData().accounts['12345678'].agentGroups[0]!.id},
	userTypeId: 2,
	isApiUser: true,
	allowedAppKeys: '4c8ce8a660c1f6f43537aa7130e4e19b',
};

test('lists users with a signed OAuth 1.0 request', async t => {
	const {api, domains, auth} = await setup(t);
	const users = await api.listUsers('12345678', domains, auth);
	assert.deepEqual(users.map(user => user.loginName).sort(), ['admin', 'agent']);
	assert.equal(typeof users[0]!.id, 'string');
});

test('a list asks for the fields the bot step reads (select), whatever the default field set is', async t => {
	const {api, domains, auth} = await setup(t);
	await api.createUser('12345678', domains, auth, bot);
	const users = await api.listUsers('12345678', domains, auth);
	// The sandbox answers all fields without `select` (the current page's default): only what was asked came back.
	for (const user of users) {
		assert.deepEqual(Object.keys(user).filter(field => !listedUserFields.includes(field as never)), [], JSON.stringify(user));
	}

	const listed = users.find(user => user.loginName === bot.loginName);
	assert.deepEqual(
		{userTypeId: listed?.userTypeId, isApiUser: listed?.isApiUser, allowedAppKeys: listed?.allowedAppKeys},
		{userTypeId: 2, isApiUser: true, allowedAppKeys: bot.allowedAppKeys},
	);
});

test('lists users with a Login Service bearer', async t => {
	const {api, domains} = await setup(t);
	const session = await api.login('12345678', domains, {username: 'admin', password: 'sandbox-admin-pass'});
	const users = await api.listUsers('12345678', domains, {bearer: session.bearer});
	assert.equal(users.length, 2);
});

test('the sandbox accepts the signer\'s header and refuses a tampered one', async t => {
	const {domains, apiKey} = await setup(t);
	// A bare request with nothing but the signer's header, to the service host (connected to 127.0.0.1).
	const url = `http://${domains.accountConfigReadOnly!}/api/account/12345678/configuration/le-users/users?v=4.0`;
	const sign = createOAuthSigner(apiKey);
	const dispatcher = createDispatcher({resolveSandboxHosts: true});
	t.after(async () => dispatcher.close());
	const send = async (authorization: string) => {
		const response = await request(url, {headers: {authorization}, dispatcher});
		return {status: response.statusCode, text: await response.body.text()};
	};

	const good = await send(sign({method: 'GET', url}));
	assert.equal(good.status, 200, good.text);
	const header = sign({method: 'GET', url});
	const tampered = header.replace(/oauth_signature="([^"]+)"/, (_match, value: string) => `oauth_signature="${value.startsWith('A') ? 'B' : 'A'}${value.slice(1)}"`);
	const refused = await send(tampered);
	assert.equal(refused.status, 401);
	assert.match(refused.text, /oauth_problem=signature_invalid/);
	const otherQuery = await send(sign({method: 'GET', url: url.replace('v=4.0', 'v=2.0')}));
	assert.equal(otherQuery.status, 401);
});

test('reports a wrong API key as 401 with a hint that names the key values', async t => {
	const {api, domains, apiKey} = await setup(t);
	await assert.rejects(api.listUsers('12345678', domains, {oauth: {...apiKey, appSecret: 'not-the-secret-value'}}), (error: unknown) => {
		assert.ok(error instanceof HttpError);
		assert.equal(error.status, 401);
		assert.equal(error.code, 'signature_invalid');
		assert.match(error.hint!, /API key values/);
		assert.ok(!`${error.message}${error.hint}`.includes(apiKey.accessTokenSecret));
		return true;
	});
});

test('points at the clock when the timestamp is refused', async t => {
	const {api, domains, auth, sandbox} = await setup(t);
	sandbox.setClockSkew(10 * 60 * 1000);
	await assert.rejects(api.listUsers('12345678', domains, auth), (error: unknown) =>
		error instanceof HttpError && error.code === 'timestamp_refused' && /clock/.test(error.hint!));
});

test('retries listing on 429, 5xx and reset with fresh nonces', async t => {
	const {api, domains, auth, sandbox, clock: {sleeps}} = await setup(t);
	sandbox.addFault({match: {path: '/le-users/'}, kind: 'status', status: 429, times: 1});
	sandbox.addFault({match: {path: '/le-users/'}, kind: 'status', status: 503, times: 1});
	assert.equal((await api.listUsers('12345678', domains, auth)).length, 2);
	assert.deepEqual(sleeps, [1000, 10_000]);
	sandbox.addFault({match: {path: '/le-users/'}, kind: 'reset', times: 1});
	assert.equal((await api.listUsers('12345678', domains, auth)).length, 2);
});

test('fails listing after four 5xx, on a hang and on malformed JSON', async t => {
	const {api, domains, auth, sandbox, client} = await setup(t);
	sandbox.addFault({match: {path: '/le-users/'}, kind: 'status', status: 500, times: 4});
	await assert.rejects(api.listUsers('12345678', domains, auth), (error: unknown) => error instanceof HttpError && error.status === 500);
	sandbox.addFault({match: {path: '/le-users/'}, kind: 'malformed', times: 1});
	await assert.rejects(api.listUsers('12345678', domains, auth), (error: unknown) => error instanceof HttpError && /not the JSON/.test(error.message));
	sandbox.addFault({match: {path: '/le-users/'}, kind: 'hang'});
	await assert.rejects(client({timeoutMs: 100}).listUsers('12345678', domains, auth), (error: unknown) => error instanceof HttpError && /no answer/.test(error.message));
	await assert.rejects(api.listUsers('12345678', domains, auth, {signal: AbortSignal.abort()}), {name: 'CancelledError'});
});

test('creates a bot user', async t => {
	const {api, domains, auth, sandbox} = await setup(t);
	const created = await api.createUser('12345678', domains, auth, bot);
	assert.equal(created.loginName, 'lp-onboard-bot');
	assert.equal(created.isApiUser, true);
	assert.ok(created.id);
	assert.ok(sandbox.state('12345678').users.some(user => user.loginName === 'lp-onboard-bot'));
	await assert.rejects(api.createUser('12345678', domains, auth, bot), (error: unknown) =>
		error instanceof HttpError && error.status === 400 && /lp-onboard-bot is not taken/.test(error.hint!));
});

test('does not retry creating a user on 5xx or reset, but does on 429', async t => {
	const {api, domains, auth, sandbox, clock: {sleeps}} = await setup(t);
	const creates = () => sandbox.requests().filter(({method}) => method === 'POST').length;
	sandbox.addFault({match: {method: 'POST', path: '/le-users/'}, kind: 'status', status: 503, times: 1});
	await assert.rejects(api.createUser('12345678', domains, auth, bot), (error: unknown) =>
		error instanceof HttpError && error.status === 503 && /may have been carried out|having trouble/.test(error.hint!));
	assert.equal(creates(), 1);
	sandbox.addFault({match: {method: 'POST', path: '/le-users/'}, kind: 'reset', times: 1});
	await assert.rejects(api.createUser('12345678', domains, auth, bot), (error: unknown) =>
		error instanceof HttpError && /may have been carried out/.test(error.hint!));
	assert.equal(creates(), 2);
	assert.deepEqual(sleeps, []);
	sandbox.addFault({match: {method: 'POST', path: '/le-users/'}, kind: 'status', status: 429, retryAfter: 2, times: 1});
	assert.equal((await api.createUser('12345678', domains, auth, bot)).loginName, 'lp-onboard-bot');
	assert.deepEqual(sleeps, [2000]);
});

test('refuses an invalid account id before any call', async t => {
	const {api, domains, auth, sandbox} = await setup(t);
	const before = sandbox.requests().length;
	await assert.rejects(api.listUsers('12/34', domains, auth), {name: 'UsageError'});
	await assert.rejects(api.createUser('', domains, auth, bot), {name: 'UsageError'});
	assert.equal(sandbox.requests().length, before);
});

test('reads the account\'s profiles and agent groups with the API key', async t => {
	const {api, domains, auth} = await setup(t);
	const profiles = await api.listProfiles('12345678', domains, auth);
	assert.deepEqual(profiles.map(profile => profile.roleTypeId), [1, 2, 3, 4]);
	assert.ok(profiles.every(profile => profile.id > 1_000_000_000 && !profile.deleted));
	const groups = await api.listAgentGroups('12345678', domains, auth);
	assert.deepEqual(groups.filter(group => group.parentGroupId === null).map(group => group.name), ['Main Group']);
});
