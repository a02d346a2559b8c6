// `lp-onboard api` at `gh api`'s level, in-process: the real parser, the real factory with the I/O double, the real
// sandbox over HTTP (its request log says what was sent), and a local server for paging.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {run as api} from '../../source/commands/api.js';
import {exitCodes} from '../../source/errors.js';
import {commandWorld, type CommandWorld, demoKeyEnv} from '../support/factory.js';

const accountId = '12345678';
const users = '/api/account/{accountId}/configuration/le-users/users?v=4.0';
const adminProfile = '2359273612';

const world = commandWorld;
const keyEnv = (w: CommandWorld) => demoKeyEnv(w, accountId);

const userCalls = (w: CommandWorld) => w.sandbox.requests().filter(request => request.path.includes('/le-users/users'));

const newUser = (login: string) => [
	'-f', `loginName=${login}`, '-f', `fullName=${login}`, '-f', `nickname=${login}`, '-f', `email=${login}@example.com`,
	'-F', 'isEnabled=true', '-F', 'maxChats=3', '-F', `profileIds[]=${adminProfile}`,
];

test('--dry-run prints the signed request, masked, and sends nothing to the API', async t => {
	const w = await world(t);
	const run = w.factory(['api', '--account', accountId, '--dry-run', ...newUser('dry-bot')], {env: keyEnv(w)});
	const result = await api(run.f, ['POST', users]);
	assert.equal(result.exitCode, 0);
	assert.match(result.text!, /^POST http:\/\/va\.accountconfigreadwrite\.sandbox\.test:\d+\/api\/account\/12345678\/configuration\/le-users\/users\?v=4\.0$/m);
	assert.match(result.text!, /^authorization: OAuth oauth_consumer_key="\w{4}…", .*oauth_signature="\*\*\*\*"/m);
	assert.match(result.text!, /"isEnabled": true/);
	const key = keyEnv(w);
	for (const secret of [key['LP_APP_SECRET']!, key['LP_ACCESS_TOKEN']!, key['LP_ACCESS_TOKEN_SECRET']!, key['LP_APP_KEY']!]) {
		assert.ok(!result.text!.includes(secret), 'a secret in the dry run');
	}

	assert.deepEqual(userCalls(w), []);
	assert.deepEqual(w.sandbox.requests().filter(request => request.method !== 'GET'), []);
	assert.deepEqual(run.screen.events.filter(event => event.type === 'info').map(event => event.type === 'info' && event.message), ['Dry run: nothing was sent.']);
});

test('-f and -F build the JSON body with types and arrays; the method defaults to POST with fields', async t => {
	const w = await world(t);
	const made = await api(w.factory(['api', '--account', accountId, ...newUser('typed-bot')], {env: keyEnv(w)}).f, [users]);
	assert.equal(made.exitCode, 0, made.text);
	assert.deepEqual(userCalls(w).map(call => call.method), ['POST']);
	const listed = await api(w.factory(['api', '--account', accountId, '--jq', '.[] | select(.loginName == "typed-bot") | [.isEnabled, .maxChats, .profileIds] | tojson'], {env: keyEnv(w)}).f, [users]);
	assert.equal(listed.text, `[true,3,[${adminProfile}]]`);
});

test('fields of a GET go in the query; -X names the method; a method given twice must agree', async t => {
	const w = await world(t);
	const result = await api(w.factory(['api', '--account', accountId, '-X', 'GET', '-f', 'v=4.0'], {env: keyEnv(w)}).f, ['/api/account/{accountId}/configuration/le-users/users']);
	assert.equal(result.exitCode, 0, result.text);
	assert.deepEqual(userCalls(w).map(call => `${call.method} ${call.status}`), ['GET 200']);
	await assert.rejects(api(w.factory(['api', '--account', accountId, '-X', 'POST'], {env: keyEnv(w)}).f, ['GET', users]), {name: 'UsageError', message: /Two methods/});
});

test('--jq runs the jq language over the answer; a broken expression is a usage error before anything is sent', async t => {
	const w = await world(t);
	const names = await api(w.factory(['api', '--account', accountId, '--jq', '.[].loginName'], {env: keyEnv(w)}).f, [users]);
	assert.deepEqual(names.text!.split('\n').sort(), ['admin', 'agent']);
	const counted = await api(w.factory(['api', '--account', accountId, '-q', 'map(select(.isEnabled)) | length'], {env: keyEnv(w)}).f, [users]);
	assert.equal(counted.text, '2');
	const before = w.sandbox.requests().length;
	await assert.rejects(api(w.factory(['api', '--account', accountId, '--jq', '.[] |'], {env: keyEnv(w)}).f, [users]), {name: 'UsageError', message: /^--jq: syntax error/});
	assert.equal(w.sandbox.requests().length, before);
});

test('-i prints the status line and headers; --silent no body; --verbose the exchange on stderr with secrets masked', async t => {
	const w = await world(t);
	const included = await api(w.factory(['api', '--account', accountId, '-i'], {env: keyEnv(w)}).f, [users]);
	assert.match(included.text!, /^HTTP\/1\.1 200 OK\ncontent-type: application\/json/);
	assert.match(included.text!, /\n\n\[\{/);
	const silent = await api(w.factory(['api', '--account', accountId, '--silent'], {env: keyEnv(w)}).f, [users]);
	assert.equal(silent.text, '');
	assert.equal(silent.exitCode, 0);
	const run = w.factory(['api', '--account', accountId, '--verbose', '-H', 'X-Trace: abc', '-H', 'Cookie: session=s3cret'], {env: keyEnv(w)});
	await api(run.f, [users]);
	const stderr = run.errors.join('');
	assert.match(stderr, /^> GET http:\/\/va\.accountconfigreadonly\.sandbox\.test:\d+\/api\/account\/12345678\/configuration\/le-users\/users\?v=4\.0$/m);
	assert.match(stderr, /^> x-trace: abc$/m);
	assert.match(stderr, /^> cookie: \*\*\*\*$/m);
	assert.match(stderr, /^> authorization: OAuth \*\*\*\*$/m);
	assert.match(stderr, /^< HTTP\/1\.1 200 OK$/m);
	assert.doesNotMatch(stderr, /s3cret/);
	for (const secret of Object.values(keyEnv(w))) {
		assert.ok(!stderr.includes(secret));
	}
});

test('-H rejects a malformed line and the Authorization the credentials own', async t => {
	const w = await world(t);
	await assert.rejects(api(w.factory(['api', '--account', accountId, '-H', 'no colon'], {env: keyEnv(w)}).f, [users]), {name: 'UsageError', message: /-H takes 'Name: value'/});
	await assert.rejects(api(w.factory(['api', '--account', accountId, '-H', 'Authorization: Bearer x'], {env: keyEnv(w)}).f, [users]), {name: 'UsageError', message: /cannot set authorization/});
	assert.deepEqual(w.sandbox.requests(), []);
});

test('--input reads the body from a file or stdin; the fields then go in the query', async t => {
	const w = await world(t);
	const file = join(w.directory, 'user.json');
	const user = (login: string) => ({loginName: login, fullName: login, nickname: login, email: `${login}@example.com`, isEnabled: true, maxChats: 1, profileIds: [Number(adminProfile)]});
	await writeFile(file, JSON.stringify(user('file-bot')));
	const fromFile = await api(w.factory(['api', '--account', accountId, '--input', file, '-f', 'v=4.0'], {env: keyEnv(w)}).f, ['POST', '/api/account/{accountId}/configuration/le-users/users']);
	assert.equal(fromFile.exitCode, 0, fromFile.text);
	const fromStdin = await api(w.factory(['api', '--account', accountId, '--input', '-'], {env: keyEnv(w), io: {input: JSON.stringify(user('stdin-bot'))}}).f, ['POST', users]);
	assert.equal(fromStdin.exitCode, 0, fromStdin.text);
	const names = await api(w.factory(['api', '--account', accountId, '--jq', '.[].loginName'], {env: keyEnv(w)}).f, [users]);
	assert.deepEqual(names.text!.split('\n').sort(), ['admin', 'agent', 'file-bot', 'stdin-bot']);
	await assert.rejects(api(w.factory(['api', '--account', accountId, '--input', join(w.directory, 'none.json')], {env: keyEnv(w)}).f, ['POST', users]), {name: 'UsageError', message: /Cannot read --input file/});
	await assert.rejects(api(w.factory(['api', '--account', accountId, '--input', file], {env: keyEnv(w)}).f, ['GET', users]), {name: 'UsageError', message: /A GET sends no body/});
});

test('--paginate follows _metadata.next.href and prints every page; without it, one page', async t => {
	const w = await world(t);
	const seen: string[] = [];
	const server = createServer((request, response) => {
		seen.push(`${request.method!} ${request.url!} ${request.headers.authorization?.startsWith('OAuth ') ? 'signed' : 'unsigned'}`);
		const offset = Number(new URL(request.url!, 'http://x').searchParams.get('offset'));
		const next = offset < 2 ? {next: {rel: 'next', href: `/search?offset=${offset + 1}`}} : {};
		response.setHeader('content-type', 'application/json');
		response.end(JSON.stringify({_metadata: {count: 3, ...next}, records: [{n: offset}]}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => server.close());
	const host = `127.0.0.1:${(server.address() as {port: number}).port}`;
	const url = `http://${host}/search?offset=0`;
	// Not one of the account's LivePerson hosts: the credentials go there only when named.
	const trusted = ['--send-credentials-to', host];
	const all = await api(w.factory(['api', '--account', accountId, '--paginate', '--jq', '.records[].n', ...trusted], {env: keyEnv(w)}).f, ['POST', url]);
	assert.equal(all.text, '0\n1\n2');
	assert.deepEqual(seen, ['POST /search?offset=0 signed', 'POST /search?offset=1 signed', 'POST /search?offset=2 signed']);
	const one = await api(w.factory(['api', '--account', accountId, ...trusted], {env: keyEnv(w)}).f, ['POST', url]);
	assert.equal((JSON.parse(one.text!) as {records: unknown[]}).records.length, 1);
});

test('JSON is pretty and coloured at a terminal, plain with NO_COLOR, one line for a pipe', async t => {
	const w = await world(t);
	const colour = /\u001B\[\d+m/;
	const terminal = await api(w.factory(['api', '--account', accountId], {env: keyEnv(w), io: {stdoutColumns: 100, env: {TERM: 'xterm-256color'}}}).f, [users]);
	assert.match(terminal.text!, colour);
	assert.match(terminal.text!, /^\[\n {2}\{\n/);
	const noColor = await api(w.factory(['api', '--account', accountId], {env: keyEnv(w), io: {stdoutColumns: 100, env: {NO_COLOR: '1'}}}).f, [users]);
	assert.doesNotMatch(noColor.text!, colour);
	assert.match(noColor.text!, /^\[\n {2}\{\n/);
	const piped = await api(w.factory(['api', '--account', accountId], {env: keyEnv(w)}).f, [users]);
	assert.doesNotMatch(piped.text!, colour);
	assert.equal(piped.text!.split('\n').length, 1);
});

test('a 4xx exits 2, with LivePerson\'s answer still printed', async t => {
	const w = await world(t);
	const bad = await api(w.factory(['api', '--account', accountId, '-f', 'loginName=x'], {env: keyEnv(w)}).f, ['POST', users]);
	assert.equal(bad.exitCode, exitCodes.usage);
	assert.match(bad.text!, /fullName|required|must/i);
});
