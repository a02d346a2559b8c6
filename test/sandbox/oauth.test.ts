import assert from 'node:assert/strict';
import {test} from 'node:test';
import {isAllowedDomainPattern} from '../../source/sandbox/routes/functions.js';
import {
	hmacSha1Signature, normalizeUrl, parseOAuthHeader, percentEncode, queryParameters, signatureBaseString, signaturesEqual,
} from '../../source/sandbox/oauth.js';

// OAuth Core 1.0, Appendix A.5.
const appendixParameters = [
	...queryParameters('file=vacation.jpg&size=original'),
	['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
	['oauth_token', 'nnch734d00sl2jdk'],
	['oauth_signature_method', 'HMAC-SHA1'],
	['oauth_timestamp', '1191242096'],
	['oauth_nonce', 'kllo9940pd9333jh'],
	['oauth_version', '1.0'],
] as const;

test('builds the signature base string of the OAuth Core 1.0 appendix example', () => {
	const base = signatureBaseString('GET', normalizeUrl('http', 'photos.example.net', '/photos'), appendixParameters);
	assert.equal(
		base,
		'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
	);
});

test('signs the OAuth Core 1.0 appendix example with the published signature', () => {
	const base = signatureBaseString('GET', normalizeUrl('http', 'photos.example.net', '/photos'), appendixParameters);
	assert.equal(hmacSha1Signature(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
});

test('leaves oauth_signature out of the base string, and signs a realm it is given (one from the query)', () => {
	const withSignature = [...appendixParameters, ['oauth_signature', 'x']] as const;
	assert.equal(
		signatureBaseString('get', 'http://photos.example.net/photos', withSignature),
		signatureBaseString('GET', 'http://photos.example.net/photos', appendixParameters),
	);
	assert.match(signatureBaseString('GET', 'http://photos.example.net/photos', [...appendixParameters, ['realm', 'Photos']]), /realm%3DPhotos/);
});

test('percent-encodes per RFC 3986, including the characters encodeURIComponent keeps', () => {
	assert.equal(percentEncode('a b!*\'()~._-/'), 'a%20b%21%2A%27%28%29~._-%2F');
	assert.equal(percentEncode('ü'), '%C3%BC');
});

test('normalises the URL: lower-case host, default port dropped, other ports kept', () => {
	assert.equal(normalizeUrl('HTTP', 'Photos.Example.NET:80', '/Photos'), 'http://photos.example.net/Photos');
	assert.equal(normalizeUrl('http', 'va.agentvep.sandbox.test:4321', '/x'), 'http://va.agentvep.sandbox.test:4321/x');
});

test('sorts parameters by name and then by value', () => {
	const base = signatureBaseString('GET', 'http://h.test/', [['b', '2'], ['a', '3'], ['a', '1']]);
	assert.equal(base, 'GET&http%3A%2F%2Fh.test%2F&a%3D1%26a%3D3%26b%3D2');
});

test('parses an OAuth Authorization header into decoded parameters', () => {
	assert.deepEqual(
		parseOAuthHeader('OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03",oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"'),
		[['realm', 'Photos'], ['oauth_consumer_key', 'dpf43f3p2l4k3l03'], ['oauth_signature', 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=']],
	);
	assert.equal(parseOAuthHeader('Bearer abc'), undefined);
	assert.equal(parseOAuthHeader('OAuth oauth_nonce=unquoted'), undefined);
});

test('compares signatures exactly', () => {
	assert.equal(signaturesEqual('tR3+Ty81lMeYAr/Fid0kMTYa/WM=', 'tR3+Ty81lMeYAr/Fid0kMTYa/WM='), true);
	assert.equal(signaturesEqual('tR3+Ty81lMeYAr/Fid0kMTYa/WM=', 'tR3+Ty81lMeYAr/Fid0kMTYa/WM'), false);
	assert.equal(signaturesEqual('tR3+Ty81lMeYAr/Fid0kMTYa/WM=', ''), false);
});

test('accepts FQDNs with at most one leading wildcard for the allowlist', () => {
	for (const domain of ['va.agentvep.liveperson.net', '*.liveperson.com', 'va.agentvep.sandbox.test:4321', 'a-b.example.org']) {
		assert.equal(isAllowedDomainPattern(domain), true, domain);
	}

	for (const domain of ['*.*.liveperson.com', 'liveperson', 'foo.*.com', '-bad.example.com', 'exa mple.com', 'https://x.com', '', 'x.com:99999', '*']) {
		assert.equal(isAllowedDomainPattern(domain), false, domain);
	}
});
