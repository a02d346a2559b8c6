// The credentials port with the real client and the sandbox's Sentinel: a token is fetched once, reused, renewed 60 s
// before it expires (injected clock shared with the sandbox), renewed once on a 401, and cached per client.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createAuthorizer, jwtClaims, oauth1Authorizer, renewBeforeMs, type TokenCache} from '../../source/liveperson/authorizer.js';
import type {Credentials} from '../../source/liveperson/credentials.js';
import {createTestClock} from '../support/clock.js';
import {createSandboxWorld} from '../support/world.js';

const accountId = '12345678';

function memoryCache(): TokenCache & {value: string | undefined} {
	const cache = {
		value: undefined as string | undefined,
		get: async () => cache.value,
		async set(value: string) {
			cache.value = value;
		},
		async clear() {
			cache.value = undefined;
		},
	};
	return cache;
}

async function setup(t: {after(fn: () => Promise<void>): void}) {
	const clock = createTestClock({start: Date.now()});
	const world = await createSandboxWorld({clock, sandbox: {now: () => clock.now()}, test: t});
	const domains = await world.api.domains(accountId);
	const {client} = world.sandbox.demo.accounts[accountId];
	const credentials: Credentials = {kind: 'oauth2', clientId: client.clientId, clientSecret: client.clientSecret};
	const cache = memoryCache();
	const authorizer = createAuthorizer(credentials, {clock, cache, fetchToken: async (value, {signal}) => world.api.token(accountId, domains, value, {signal})});
	const tokenRequests = () => world.sandbox.requests().filter(entry => entry.path.startsWith('/sentinel/api/v2/')).length;
	return {world, clock, domains, credentials, cache, authorizer, tokenRequests};
}

test('one Sentinel request for many calls; Bearer on the Users API v6.0', async t => {
	const {world, domains, authorizer, tokenRequests} = await setup(t);
	await world.api.listUsers(accountId, domains, {authorizer});
	await world.api.listUsers(accountId, domains, {authorizer});
	assert.equal(tokenRequests(), 1);
	assert.match(await authorizer.authorize({method: 'GET', url: 'https://example.test/'}), /^Bearer eyJ/);
	const users = world.sandbox.requests().filter(entry => entry.path.endsWith('/le-users/users'));
	assert.equal(users.length, 2);
	assert.ok(users.every(entry => entry.status === 200));
});

test('a token that expires mid-session is renewed 60 s early, without a question and without a refused call', async t => {
	const {world, clock, domains, authorizer, tokenRequests} = await setup(t);
	await world.api.listUsers(accountId, domains, {authorizer});
	const first = (await authorizer.token())!;
	await clock.advance(first.expiresAt - clock.now() - renewBeforeMs + 1000);
	assert.equal(tokenRequests(), 1, 'still fresh 61 s before expiry');
	await clock.advance(2000);
	await world.api.listUsers(accountId, domains, {authorizer});
	assert.equal(tokenRequests(), 2, 'renewed within 60 s of expiry');
	assert.notEqual((await authorizer.token())!.accessToken, first.accessToken);
	assert.ok(world.sandbox.requests().every(entry => entry.status !== 401));
});

test('a cached token the server refuses is renewed once on the 401, and the call succeeds', async t => {
	const {world, clock, domains, credentials, cache, authorizer, tokenRequests} = await setup(t);
	assert.equal(credentials.kind, 'oauth2');
	// A token that says it is good for an hour but that Sentinel does not know (revoked, or from another sandbox).
	cache.value = JSON.stringify({clientId: credentials.kind === 'oauth2' ? credentials.clientId : '', accessToken: 'a.b.c', expiresAt: clock.now() + 3_600_000});
	const users = await world.api.listUsers(accountId, domains, {authorizer});
	assert.ok(users.length > 0);
	assert.equal(tokenRequests(), 1);
	assert.deepEqual(world.sandbox.requests().filter(entry => entry.path.endsWith('/le-users/users')).map(entry => entry.status), [401, 200]);
	assert.notEqual(JSON.parse(cache.value).accessToken, 'a.b.c', 'the new token replaced the refused one in the cache');
});

test('a fresh token refused again is not retried in a loop: the 401 is the answer', async t => {
	const {world, domains, credentials} = await setup(t);
	const invoker = world.sandbox.demo.accounts[accountId].otherClients[0]!;
	assert.equal(credentials.kind, 'oauth2');
	const unscoped = createAuthorizer({kind: 'oauth2', ...invoker}, {fetchToken: async (value, {signal}) => world.api.token(accountId, domains, value, {signal})});
	await assert.rejects(world.api.listUsers(accountId, domains, {authorizer: unscoped}), (error: unknown) => (error as {status?: number}).status === 401);
	assert.deepEqual(world.sandbox.requests().filter(entry => entry.path.endsWith('/le-users/users')).map(entry => entry.status), [401]);
});

test('a cached token of another client, or an expired one, is not used', async t => {
	const {world, clock, domains, cache, authorizer, tokenRequests} = await setup(t);
	cache.value = JSON.stringify({clientId: 'someone-else', accessToken: 'x.y.z', expiresAt: clock.now() + 3_600_000});
	await world.api.listUsers(accountId, domains, {authorizer});
	assert.equal(tokenRequests(), 1);
	const {client} = world.sandbox.demo.accounts[accountId];
	const again = memoryCache();
	again.value = JSON.stringify({clientId: client.clientId, accessToken: 'x.y.z', expiresAt: clock.now() + 30_000});
	const second = createAuthorizer({kind: 'oauth2', ...client}, {clock, cache: again, fetchToken: async (value, {signal}) => world.api.token(accountId, domains, value, {signal})});
	await world.api.listUsers(accountId, domains, {authorizer: second});
	assert.equal(tokenRequests(), 2, 'a cached token within 60 s of its expiry is renewed first');
	assert.deepEqual(world.sandbox.requests().filter(entry => entry.path.endsWith('/le-users/users')).map(entry => entry.status), [200, 200]);
});

test('Sentinel\'s expires_in string is read as seconds; the token\'s claims show its scopes (not verified)', async t => {
	const {world, domains, credentials, clock} = await setup(t);
	assert.equal(credentials.kind, 'oauth2');
	const answer = await world.api.token(accountId, domains, credentials.kind === 'oauth2' ? credentials : {clientId: '', clientSecret: ''});
	assert.equal(answer.expiresIn, 3600);
	const claims = jwtClaims(answer.accessToken)!;
	assert.equal(claims['scope'], 'users.external users.read users.write');
	assert.ok(Math.abs((claims['exp'] as number) * 1000 - (clock.now() + 3_600_000)) < 5000);
	assert.equal(jwtClaims('not-a-jwt'), undefined);
});

test('an OAuth 1.0 key has no token and no retry; it signs each request', async () => {
	const authorizer = oauth1Authorizer({appKey: 'k', appSecret: 's', accessToken: 't', accessTokenSecret: 'ts'});
	assert.equal(authorizer.kind, 'oauth1');
	assert.equal(await authorizer.token(), undefined);
	assert.equal(await authorizer.invalidate(), false);
	assert.match(await authorizer.authorize({method: 'GET', url: 'https://example.test/x?v=4.0'}), /^OAuth oauth_consumer_key="k"/);
});
