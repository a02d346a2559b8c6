// Every command run in-process, the way gh tests `loginRun(opts)`: the real argv parser, the real sandbox over HTTP, a
// factory of fakes (recording UI, scripted terminal, memory secrets). Process-level behaviour (signals, pipes, exit
// codes as the shell sees them, terminals) is tested in test/cli and test/e2e.
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {run as api} from '../../source/commands/api.js';
import {run as authHeader} from '../../source/commands/auth-header.js';
import {run as doctor} from '../../source/commands/doctor.js';
import {run as domains} from '../../source/commands/domains.js';
import {run as logout} from '../../source/commands/logout.js';
import {run as provision} from '../../source/commands/provision.js';
import {run as sandboxCommand} from '../../source/commands/sandbox.js';
import {run as status} from '../../source/commands/status.js';
import {run as wizard} from '../../source/commands/wizard.js';
import {MissingInputError, exitCodes} from '../../source/errors.js';
import {commandWorld, type CommandWorld, demoKeyEnv} from '../support/factory.js';

const accountId = '12345678';

const world = commandWorld;
const keyEnv = (w: CommandWorld) => demoKeyEnv(w, accountId);

test('domains: one CSDS call, a table and {service: host} JSON', async t => {
	const w = await world(t);
	const {f} = w.factory(['domains', '--account', accountId]);
	const result = await domains(f, []);
	assert.equal(result.exitCode, exitCodes.ok);
	const json = result.json as Record<string, string>;
	assert.match(json['agentVep']!, /agentvep\.sandbox\.test/);
	assert.match(result.text!, /^accountConfigReadOnly\s+\S+/m);
	assert.equal(w.sandbox.requests().filter(request => request.path.includes('/baseURI')).length, 1);
});

test('domains: the account comes from LP_ACCOUNT_ID, else a missing account names --account and LP_ACCOUNT_ID', async t => {
	const w = await world(t);
	assert.equal((await domains(w.factory(['domains'], {env: {LP_ACCOUNT_ID: accountId}}).f, [])).exitCode, 0);
	await assert.rejects(domains(w.factory(['domains']).f, []), (error: unknown) => error instanceof MissingInputError && error.flag === '--account' && error.env === 'LP_ACCOUNT_ID');
});

test('domains at a terminal asks for the account when none is given', async t => {
	const w = await world(t);
	const run = w.factory(['domains'], {script: {'account-id': accountId}});
	assert.equal((await domains(run.f, [])).exitCode, 0);
	assert.deepEqual(run.asked, ['account-id']);
});

test('wizard: the sandbox demo reaches the summary with OAuth 2.0, and its JSON names where the client is kept, never its secret', async t => {
	const w = await world(t);
	const {f} = w.factory(['--sandbox', '--demo', '--yes', '--username', 'admin'], {env: {LP_PASSWORD: 'sandbox-admin-pass'}});
	const result = await wizard(f, []);
	assert.equal(result.exitCode, exitCodes.ok);
	const report = result.json as {accountId: string; credentials: Record<string, unknown>};
	assert.equal(report.accountId, accountId);
	assert.deepEqual(report.credentials, {alreadyDone: false, kind: 'oauth2', storage: 'memory'});
	const {client} = w.sandbox.demo.accounts[accountId];
	assert.doesNotMatch(JSON.stringify(result.json), new RegExp(client.clientSecret));
	assert.deepEqual((await w.secrets.list()).map(key => key.name).sort(), ['clientId', 'clientSecret', 'oauth2Token']);
});

test('wizard at a terminal: a rejected --account is looked up once, then asked', async t => {
	const w = await world(t);
	const run = w.factory(['--account', '99999999', '--skip-provisioning'], {
		script: {'account-id': accountId, 'login-method': 'api-key', 'bot-login-name': 'bot-once'},
		env: keyEnv(w),
	});
	const result = await wizard(run.f, []);
	assert.equal(result.exitCode, 0);
	const lookups = w.sandbox.requests().filter(request => request.path.includes('/baseURI')).map(request => request.path.split('/')[3]);
	assert.deepEqual(lookups.slice(0, 2), ['99999999', accountId]);
	assert.deepEqual(run.asked.filter(id => id === 'account-id'), ['account-id']);
	assert.ok(run.screen.failures().some(message => message.includes('Account 99999999 was not found')));
});

test('status: a working key exits 0 with signedCallWorks; a refused one exits 4 with signedCallWorks false', async t => {
	const w = await world(t);
	const good = await status(w.factory(['status'], {env: {...keyEnv(w), LP_ACCOUNT_ID: accountId}}).f, []);
	assert.equal(good.exitCode, exitCodes.ok);
	assert.equal((good.json as {signedCallWorks: boolean}).signedCallWorks, true);
	const bad = await status(w.factory(['status'], {env: {...keyEnv(w), LP_APP_SECRET: 'f'.repeat(32), LP_ACCOUNT_ID: accountId}}).f, []);
	assert.equal(bad.exitCode, exitCodes.auth);
	assert.equal((bad.json as {signedCallWorks: boolean}).signedCallWorks, false);
	const none = await status(w.factory(['status']).f, []);
	assert.equal(none.exitCode, exitCodes.missingInput);
	assert.equal((none.json as {signedCallWorks: boolean}).signedCallWorks, false);
});

test('logout: removes what the profile stored and lists it; twice is nothing to remove', async t => {
	const w = await world(t);
	await w.secrets.set({profile: 'default', accountId, name: 'appKey'}, 'k'.repeat(20));
	const first = await logout(w.factory(['logout']).f, []);
	assert.deepEqual((first.json as {removed: string[]}).removed, [`default/${accountId}/appKey`]);
	const second = await logout(w.factory(['logout']).f, []);
	assert.equal(second.text, 'Nothing to remove for profile default.');
});

test('doctor: each check with its fix; a failed check exits 11, not 1', async t => {
	const w = await world(t);
	const result = await doctor(w.factory(['doctor'], {env: {HTTPS_PROXY: 'not a url'}}).f, []);
	const checks = result.json as Array<{name: string; ok: boolean}>;
	assert.ok(checks.some(check => check.name === 'CSDS reachable' && check.ok));
	assert.ok(checks.some(check => check.name === 'Proxy' && !check.ok));
	assert.equal(result.exitCode, exitCodes.checkFailed);
});

test('auth header: one Authorization line from the LP_* variables; usage without METHOD URL', async t => {
	const w = await world(t);
	const result = await authHeader(w.factory(['auth', '--nonce', 'n', '--timestamp', '1700000000'], {env: keyEnv(w)}).f, ['header', 'GET', 'https://example.test/x?v=1']);
	assert.match(result.text!, /^Authorization: OAuth .*oauth_nonce="n".*oauth_timestamp="1700000000"/);
	await assert.rejects(authHeader(w.factory(['auth']).f, ['header', 'GET']), {name: 'UsageError'});
});

test('provision: a dry run changes nothing and reports its tasks; without an admin login it names --username', async t => {
	const w = await world(t);
	const dry = await provision(w.factory(['provision', '--account', accountId, '--username', 'admin', '--yes', '--dry-run'], {env: {LP_PASSWORD: 'sandbox-admin-pass'}}).f, []);
	// Nobody did the Functions UI step on this account: the dry run says so.
	assert.equal(dry.exitCode, exitCodes.pendingUi);
	assert.ok(Array.isArray((dry.json as {tasks: unknown[]}).tasks));
	await assert.rejects(provision(w.factory(['provision', '--account', accountId]).f, []), (error: unknown) => error instanceof MissingInputError && error.flag === '--username');
});

test('sandbox: prints its URL and demo logins, serves until the signal, then closes', async t => {
	const w = await world(t);
	const controller = new AbortController();
	const run = w.factory(['sandbox']);
	const running = sandboxCommand({...run.f, signal: controller.signal}, []);
	while (run.printed.length === 0) {
		await new Promise(resolve => setTimeout(resolve, 10));
	}

	const url = /http:\/\/127\.0\.0\.1:\d+/.exec(run.printed.join('\n'))![0];
	const answer = await fetch(`${url}/api/account/${accountId}/service/baseURI.json?version=1.0`);
	assert.equal(answer.status, 200);
	controller.abort();
	assert.equal((await running).exitCode, 0);
	await assert.rejects(fetch(`${url}/api/account/${accountId}/service/baseURI.json?version=1.0`));
});

test('api: GET the users with {accountId} filled and the service guessed, signed with the key; 401 exits 4', async t => {
	const w = await world(t);
	const ok = await api(w.factory(['api', '--account', accountId], {env: keyEnv(w)}).f, ['GET', '/api/account/{accountId}/configuration/le-users/users?v=4.0']);
	assert.equal(ok.exitCode, 0);
	const users = JSON.parse(ok.text!) as Array<{loginName: string}>;
	assert.ok(users.some(user => user.loginName === 'admin'));
	const refused = await api(w.factory(['api', '--account', accountId], {env: {...keyEnv(w), LP_APP_SECRET: 'f'.repeat(32)}}).f, ['/api/account/{accountId}/configuration/le-users/users?v=4.0']);
	assert.equal(refused.exitCode, exitCodes.auth);
	await assert.rejects(api(w.factory(['api', '--account', accountId], {env: keyEnv(w)}).f, ['/api/account/{accountId}/somewhere']), {name: 'UsageError', message: /Which LivePerson service/});
});

test('api --data POSTs JSON to the read-write domain', async t => {
	const w = await world(t);
	await api(w.factory(['api', '--account', accountId, '--data', JSON.stringify({loginName: 'api-made'})], {env: keyEnv(w)}).f, ['/api/account/{accountId}/configuration/le-users/users?v=4.0']);
	const writes = w.sandbox.requests().filter(request => request.method === 'POST' && request.path.includes('/le-users/users'));
	assert.equal(writes.length, 1);
});

test('api --bearer logs in as the profile bot with the key, sends its bearer, and logs out', async t => {
	const w = await world(t);
	const setup = await wizard(w.factory(['--sandbox', '--demo', '--skip-provisioning']).f, []);
	assert.equal(setup.exitCode, 0);
	const before = w.sandbox.requests().length;
	// The wizard ran on the sandbox, whose profiles are its own: the same --sandbox finds its bot.
	const result = await api(w.factory(['--sandbox', 'api', '--bearer']).f, ['GET', '/api/account/{accountId}/configuration/le-users/users?v=4.0']);
	assert.equal(result.exitCode, 0);
	const paths = w.sandbox.requests().slice(before).map(request => `${request.method} ${request.path.split('?')[0]!}`);
	assert.deepEqual(paths.filter(path => !path.includes('baseURI')), [
		`POST /api/account/${accountId}/login`,
		`GET /api/account/${accountId}/configuration/le-users/users`,
		`POST /api/account/${accountId}/logout`,
	]);
});

test('provision --show-privileges lists each default app key with its privileges, for one version or both', async t => {
	const w = await world(t);
	const both = await provision(w.factory(['provision', '--show-privileges']).f, []);
	assert.deepEqual(Object.keys(both.json as object), ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key', 'LIVEPERSON_DEFAULT_APP_KEY']);
	const v2 = await provision(w.factory(['provision', '--show-privileges', '--functions-version', '2']).f, []);
	const privileges = (v2.json as Record<string, string[]>)['LIVEPERSON_DEFAULT_APP_KEY']!;
	assert.equal(privileges.at(-1), 'Functions API: Invoke');
	assert.match(v2.text!, /^LIVEPERSON_DEFAULT_APP_KEY\n {2}\S/);
	assert.equal(w.sandbox.requests().length, 0, 'nothing is asked of LivePerson');
});

test('provision --sandbox --yes --accounts accepts each account\'s stand-in Functions UI page and provisions both', async t => {
	const w = await world(t);
	const file = join(w.directory, 'accounts.txt');
	await writeFile(file, '12345678\n87654321\n');
	const result = await provision(w.factory(['provision', '--sandbox', '--accounts', file, '--username', 'admin', '--yes'], {env: {LP_PASSWORD: 'sandbox-admin-pass'}}).f, []);
	assert.equal(result.exitCode, exitCodes.ok, JSON.stringify(result.json));
	const outcomes = (result.json as {accounts: Array<{accountId: string; report: {ok: boolean}}>}).accounts;
	assert.deepEqual(outcomes.map(outcome => [outcome.accountId, outcome.report.ok]), [['12345678', true], ['87654321', true]]);
});

test('a command uses the profile\'s account without asking; --account names another', async t => {
	const w = await world(t);
	await w.factory(['domains']).f.config.update('default', {accountId});
	const stored = w.factory(['domains'], {script: {}});
	assert.equal((await domains(stored.f, [])).exitCode, 0);
	assert.deepEqual(stored.asked, []);
	const other = w.factory(['domains', '--account', '87654321'], {script: {}});
	assert.equal(((await domains(other.f, [])).json as Record<string, string>)['faasGW']?.includes('fninvocations'), true);
});

test('api at a terminal asks, hidden, for key values it has nowhere, and says what is missing without one', async t => {
	const w = await world(t);
	const key = keyEnv(w);
	const run = w.factory(['api', '--account', accountId], {env: {LP_APP_KEY: key['LP_APP_KEY']!}, script: {'app-secret': key['LP_APP_SECRET']!, 'access-token': key['LP_ACCESS_TOKEN']!, 'access-token-secret': key['LP_ACCESS_TOKEN_SECRET']!}});
	assert.equal((await api(run.f, ['/api/account/{accountId}/configuration/le-users/users?v=4.0'])).exitCode, 0);
	assert.deepEqual(run.asked, ['app-secret', 'access-token', 'access-token-secret']);
	await assert.rejects(api(w.factory(['api', '--account', accountId], {env: {LP_APP_KEY: key['LP_APP_KEY']!}}).f, ['/api/account/{accountId}/configuration/le-users/users?v=4.0']), (error: unknown) => error instanceof MissingInputError && /LP_APP_SECRET/.test(error.message));
});

test('api --sandbox --demo sends the demo client\'s Bearer token to the Users API v6.0', async t => {
	const w = await world(t);
	const result = await api(w.factory(['api', '--sandbox', '--demo', '--account', accountId]).f, ['/api/account/{accountId}/configuration/le-users/users?v=6.0']);
	assert.equal(result.exitCode, 0);
	assert.ok(Array.isArray(JSON.parse(result.text!)));
});

test('provision at a terminal asks for the admin login, offering the sandbox\'s demo admin first', async t => {
	const w = await world(t);
	const run = w.factory(['provision', '--sandbox', '--account', accountId, '--dry-run'], {script: {'sandbox-admin': true}});
	const result = await provision(run.f, []);
	// A dry run changes nothing, so the Functions UI step still waits.
	assert.equal(result.exitCode, exitCodes.pendingUi, JSON.stringify(result.json));
	assert.equal(run.asked[0], 'sandbox-admin');
	assert.ok(!run.asked.includes('password'));
});
