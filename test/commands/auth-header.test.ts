import {createHmac} from 'node:crypto';
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {authHeaderLine} from '../../source/commands/auth-header.js';
import {credentialsFromEnv} from '../../source/commands/shared/credentials.js';
import {oauth1Authorizer} from '../../source/liveperson/authorizer.js';
import {MissingInputError, UsageError} from '../../source/errors.js';

const key = {
	appKey: 'dpf43f3p2l4k3l03',
	appSecret: 'kd94hf93k423kf44',
	accessToken: 'nnch734d00sl2jdk',
	accessTokenSecret: 'pfkkdhi9sl3r4s00',
};
const authorizer = oauth1Authorizer(key);

test('prints exactly one Authorization line, reproducible with a pinned nonce and timestamp', async () => {
	const line = await authHeaderLine({
		method: 'get',
		url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
		authorizer,
		nonce: 'kllo9940pd9333jh',
		timestamp: 1_191_242_096,
	});
	assert.equal(line, 'Authorization: OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="kllo9940pd9333jh", '
		+ 'oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1191242096", '
		+ 'oauth_token="nnch734d00sl2jdk", oauth_version="1.0"');
	assert.ok(!line.includes('\n'));
});

test('signs POST with the method in the base string', async () => {
	const url = 'https://api.example.com/api/account/1/x?v=4.0';
	const line = await authHeaderLine({method: 'POST', url, authorizer, nonce: 'n', timestamp: 1});
	const base = 'POST&https%3A%2F%2Fapi.example.com%2Fapi%2Faccount%2F1%2Fx&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn'
		+ '%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26v%3D4.0';
	const expected = encodeURIComponent(createHmac('sha1', 'kd94hf93k423kf44&pfkkdhi9sl3r4s00').update(base).digest('base64'));
	assert.ok(line.includes(`oauth_signature="${expected}"`), line);
});

test('takes the nonce and timestamp from the clock when not pinned', async () => {
	const clock = {now: () => 1_191_242_096_500, sleep: async () => undefined, nonce: () => 'kllo9940pd9333jh'};
	const line = await authHeaderLine({method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original', authorizer: oauth1Authorizer(key, clock)});
	assert.match(line, /oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"/);
});

test('refuses a method it does not sign', async () => {
	for (const method of ['FETCH', 'CONNECT', '', 'G ET']) {
		await assert.rejects(authHeaderLine({method, url: 'https://api.example.com/', authorizer}), (error: unknown) =>
			error instanceof UsageError && /GET, POST, PUT, PATCH, DELETE, HEAD/.test(error.hint!));
	}

	assert.match(await authHeaderLine({method: 'head', url: 'https://api.example.com/', authorizer}), /^Authorization: OAuth /);
});

test('refuses a URL that is not absolute http(s)', async () => {
	for (const url of ['/api/account/1', 'va.ac.liveperson.net/api', 'ftp://example.com/x', 'file:///etc/passwd', '']) {
		await assert.rejects(authHeaderLine({method: 'GET', url, authorizer}), UsageError, url);
	}
});

test('reads the four API key values from the environment', () => {
	assert.deepEqual(credentialsFromEnv({
		LP_APP_KEY: 'a',
		LP_APP_SECRET: 'b',
		LP_ACCESS_TOKEN: 'c',
		LP_ACCESS_TOKEN_SECRET: 'd',
		OTHER: 'x',
	}), {kind: 'oauth1', appKey: 'a', appSecret: 'b', accessToken: 'c', accessTokenSecret: 'd'});
});

test('names every missing or empty env var', () => {
	assert.throws(() => credentialsFromEnv({LP_APP_KEY: 'a', LP_ACCESS_TOKEN: ''}), (error: unknown) => {
		assert.ok(error instanceof MissingInputError);
		assert.equal(error.exitCode, 3);
		assert.match(error.message, /LP_APP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET/);
		assert.ok(!error.message.includes('LP_APP_KEY'));
		assert.match(error.hint!, /LP_APP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET/);
		return true;
	});
	assert.throws(() => credentialsFromEnv({}), /LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET/);
	assert.throws(() => credentialsFromEnv({LP_APP_KEY: 'a', LP_APP_SECRET: 'b', LP_ACCESS_TOKEN: 'c'}), /value LP_ACCESS_TOKEN_SECRET:/);
});

test('refuses a key value with a space, a line break or a control character, naming the variable but not the value', () => {
	const good = {LP_APP_KEY: 'a', LP_APP_SECRET: 'b', LP_ACCESS_TOKEN: 'c', LP_ACCESS_TOKEN_SECRET: 'd'};
	for (const [name, value] of [['LP_APP_KEY', '   '], ['LP_APP_SECRET', 'sec ret-value-1'], ['LP_ACCESS_TOKEN', 'tok\nen'], ['LP_ACCESS_TOKEN_SECRET', 'x\u0007y'], ['LP_APP_KEY', 'k'.repeat(2000)]] as const) {
		assert.throws(() => credentialsFromEnv({...good, [name]: value}), (error: unknown) => {
			assert.ok(error instanceof UsageError);
			assert.match(error.message, new RegExp(name));
			assert.ok(!error.message.includes(value) && !error.hint!.includes(value));
			return true;
		});
	}
});
