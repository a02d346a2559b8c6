import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {call, oauthHeader, serviceHost, usersPath} from '../support/sandbox-client.js';

// What the verifier must refuse or accept beyond the happy path (issue 10.10): realm, duplicated protocol parameters.

let sandbox: Sandbox;

before(async () => {
	sandbox = await startSandbox();
});

after(async () => {
	await sandbox.close();
});

const host = () => serviceHost(sandbox, 'accountConfigReadOnly');
const key = () => sandbox.demo.accounts['12345678'].apiKey;
const sign = (signedPath: string) => oauthHeader(key(), {method: 'GET', url: `http://${host()}${signedPath}`});
const list = async (path: string, authorization: string) => call(sandbox, path, {host: host(), headers: {authorization}});
const problem = (text: string) => new URLSearchParams(text).get('oauth_problem');

test('signs a realm in the query like any other parameter', async () => {
	const path = `${usersPath('12345678')}?v=4.0&realm=Example`;
	const reply = await list(path, sign(path));
	assert.equal(reply.status, 200, reply.text);
});

test('refuses an unsigned realm appended to a signed URL', async () => {
	const signed = `${usersPath('12345678')}?v=4.0`;
	const reply = await list(`${signed}&realm=Example`, sign(signed));
	assert.equal(reply.status, 401);
	assert.equal(problem(reply.text), 'signature_invalid');
});

test('ignores a realm in the Authorization header', async () => {
	const path = `${usersPath('12345678')}?v=4.0`;
	const reply = await list(path, sign(path).replace(/^OAuth /, 'OAuth realm="Example", '));
	assert.equal(reply.status, 200, reply.text);
});

test('refuses two oauth_signature values in the header, whichever comes last', async () => {
	const path = `${usersPath('12345678')}?v=4.0`;
	for (const authorization of [
		sign(path).replace(/^OAuth /, 'OAuth oauth_signature="bogus", '),
		`${sign(path)}, oauth_signature="bogus"`,
	]) {
		const reply = await list(path, authorization);
		assert.equal(reply.status, 401);
		assert.equal(problem(reply.text), 'parameter_rejected');
		assert.match(new URLSearchParams(reply.text).get('oauth_problem_advice') ?? '', /oauth_signature/);
	}
});

test('refuses an oauth_ parameter given both in the header and in the query', async () => {
	const signed = `${usersPath('12345678')}?v=4.0`;
	const reply = await list(`${signed}&oauth_nonce=another`, sign(signed));
	assert.equal(reply.status, 401);
	assert.equal(problem(reply.text), 'parameter_rejected');
});
