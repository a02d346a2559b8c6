import {createHmac} from 'node:crypto';
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Clock} from '../../source/clock.js';
import {createOAuthSigner, redactAuthorization, signatureBaseString} from '../../source/liveperson/oauth.js';

// OAuth Core 1.0, Appendix A (photos.example.net).
const credentials = {
	appKey: 'dpf43f3p2l4k3l03',
	appSecret: 'kd94hf93k423kf44',
	accessToken: 'nnch734d00sl2jdk',
	accessTokenSecret: 'pfkkdhi9sl3r4s00',
};
const nonce = 'kllo9940pd9333jh';
const timestamp = 1_191_242_096;
const sign = createOAuthSigner(credentials);

function parameters(header: string): Record<string, string> {
	assert.match(header, /^OAuth /);
	return Object.fromEntries([...header.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, decodeURIComponent(value!)]));
}

/** The signature computed from a base string written out by hand, per RFC 5849 §3.4.1 and §3.4.2. */
function expectedSignature(baseString: string): string {
	return createHmac('sha1', 'kd94hf93k423kf44&pfkkdhi9sl3r4s00').update(baseString).digest('base64');
}

/** The oauth_* part of a hand-written parameter string, already percent-encoded once. */
const oauthPart = 'oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1'
	+ '%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0';

describe('createOAuthSigner', () => {
	test('reproduces the signature of OAuth Core 1.0 Appendix A', () => {
		const header = sign({method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original', nonce, timestamp});
		const values = parameters(header);
		assert.equal(values.oauth_signature, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
		assert.deepEqual(values, {
			oauth_consumer_key: 'dpf43f3p2l4k3l03',
			oauth_nonce: 'kllo9940pd9333jh',
			oauth_signature: 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=',
			oauth_signature_method: 'HMAC-SHA1',
			oauth_timestamp: '1191242096',
			oauth_token: 'nnch734d00sl2jdk',
			oauth_version: '1.0',
		});
		assert.match(header, /oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"/);
	});

	test('builds the Appendix A base string', () => {
		const base = signatureBaseString('get', 'http://photos.example.net/photos?file=vacation.jpg&size=original', {
			oauth_consumer_key: 'dpf43f3p2l4k3l03',
			oauth_token: 'nnch734d00sl2jdk',
			oauth_signature_method: 'HMAC-SHA1',
			oauth_timestamp: 1_191_242_096,
			oauth_nonce: 'kllo9940pd9333jh',
			oauth_version: '1.0',
		});
		assert.equal(base, `GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26${oauthPart}%26size%3Doriginal`);
	});

	test('strips an explicit default port and lower-cases scheme and host', () => {
		const expected = expectedSignature(`GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26${oauthPart}%26size%3Doriginal`);
		for (const url of ['http://photos.example.net:80/photos?file=vacation.jpg&size=original', 'HTTP://Photos.Example.NET/photos?file=vacation.jpg&size=original']) {
			assert.equal(parameters(sign({method: 'GET', url, nonce, timestamp})).oauth_signature, expected, url);
		}

		const https = expectedSignature(`GET&https%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26${oauthPart}%26size%3Doriginal`);
		assert.equal(parameters(sign({method: 'GET', url: 'https://photos.example.net:443/photos?file=vacation.jpg&size=original', nonce, timestamp})).oauth_signature, https);
	});

	test('keeps a port that is not the default one', () => {
		const expected = expectedSignature(`GET&https%3A%2F%2Fphotos.example.net%3A8443%2Fphotos&${oauthPart}`);
		assert.equal(parameters(sign({method: 'GET', url: 'https://photos.example.net:8443/photos', nonce, timestamp})).oauth_signature, expected);
	});

	test('signs repeated keys and empty values, sorted by name then value', () => {
		// Query a=2&a=1&a=&b= → a=, a=1, a=2, b= (RFC 5849 §3.4.1.3.2).
		const expected = expectedSignature(`POST&https%3A%2F%2Fapi.example.com%2Fx&a%3D%26a%3D1%26a%3D2%26b%3D%26${oauthPart}`);
		const header = sign({method: 'post', url: 'https://api.example.com/x?a=2&a=1&a=&b=', nonce, timestamp});
		assert.equal(parameters(header).oauth_signature, expected);
	});

	test('signs a key without a value as an empty value', () => {
		const expected = expectedSignature(`GET&https%3A%2F%2Fapi.example.com%2Fx&flag%3D%26${oauthPart}`);
		assert.equal(parameters(sign({method: 'GET', url: 'https://api.example.com/x?flag', nonce, timestamp})).oauth_signature, expected);
	});

	test('decodes then re-encodes reserved characters per RFC 3986', () => {
		// Value "a b+c=d!*'()~" sent as a%20b%2Bc=d!*'()~ ; "+" in a query means a space; key "k~".
		const url = 'https://api.example.com/x?q=a%20b%2Bc=d!*\'()~&plus=x+y&k%7E=1';
		// Encoded once: q=a%20b%2Bc%3Dd%21%2A%27%28%29~ plus=x%20y k~=1 ; sorted: k~, oauth_*, plus, q ; then encoded again.
		const expected = expectedSignature('GET&https%3A%2F%2Fapi.example.com%2Fx&k~%3D1%26'
			+ `${oauthPart}%26plus%3Dx%2520y%26q%3Da%2520b%252Bc%253Dd%2521%252A%2527%2528%2529~`);
		assert.equal(parameters(sign({method: 'GET', url, nonce, timestamp})).oauth_signature, expected);
	});

	test('encodes non-ASCII characters as UTF-8 in path and query', () => {
		// Path /café → /caf%C3%A9 ; value ü → %C3%BC ; both encoded again in the base string.
		const expected = expectedSignature(`GET&https%3A%2F%2Fapi.example.com%2Fcaf%25C3%25A9&name%3D%25C3%25BC%26${oauthPart}`);
		assert.equal(parameters(sign({method: 'GET', url: 'https://api.example.com/café?name=ü', nonce, timestamp})).oauth_signature, expected);
		assert.equal(parameters(sign({method: 'GET', url: 'https://api.example.com/caf%C3%A9?name=%C3%BC', nonce, timestamp})).oauth_signature, expected);
	});

	test('ignores the fragment', () => {
		const expected = expectedSignature(`GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26${oauthPart}%26size%3Doriginal`);
		assert.equal(parameters(sign({method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original#top', nonce, timestamp})).oauth_signature, expected);
	});

	test('takes nonce and timestamp from the clock when the request does not pin them', () => {
		const clock: Clock = {now: () => 1_191_242_096_999, sleep: async () => undefined, nonce: () => 'kllo9940pd9333jh'};
		const header = createOAuthSigner(credentials, clock)({method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original'});
		assert.equal(parameters(header).oauth_signature, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
	});

	test('uses a fresh random nonce for each request by default', () => {
		const first = parameters(sign({method: 'GET', url: 'https://api.example.com/x'}));
		const second = parameters(sign({method: 'GET', url: 'https://api.example.com/x'}));
		assert.notEqual(first.oauth_nonce, second.oauth_nonce);
		assert.match(first.oauth_timestamp!, /^\d{10}$/);
	});
});

describe('redactAuthorization', () => {
	test('masks the key, token and signature but keeps the other parameters', () => {
		const header = sign({method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original', nonce, timestamp});
		const redacted = redactAuthorization(`Authorization: ${header}`);
		assert.ok(redacted.startsWith('Authorization: OAuth '));
		for (const secret of ['dpf43f3p2l4k3l03', 'nnch734d00sl2jdk', 'tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D']) {
			assert.ok(!redacted.includes(secret), secret);
		}

		assert.match(redacted, /oauth_consumer_key="dpf4…\(16\)"/);
		assert.match(redacted, /oauth_token="nnch…\(16\)"/);
		assert.match(redacted, /oauth_nonce="kllo9940pd9333jh"/);
		assert.match(redacted, /oauth_timestamp="1191242096"/);
	});

	test('masks a bearer token', () => {
		assert.equal(redactAuthorization('Bearer abcdefghijklmnopqrstuvwxyz'), 'Bearer abcd…(26)');
	});
});
