// `lp-onboard api` as a shell runs it, against the persisted --sandbox state: a dry run leaves the sandbox's users as
// they were, and a profile with a legacy OAuth 1.0 key answers the Users API v4.0 with --sandbox alone. Build first.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';
import {createCliEnv, plainEnv, runCli} from '../support/cli.js';

const users = '/api/account/{accountId}/configuration/le-users/users?v=4.0';

test('--sandbox api POST … --dry-run sends nothing; --sandbox api GET … --jq prints the login names', {timeout: 120_000}, async t => {
	const dirs = await createCliEnv(t, 'lp-api-');
	const env = {...dirs.env, ...plainEnv};
	const setup = await runCli(['--sandbox', '--demo', '--auth-method', 'oauth1', '--skip-provisioning', '--insecure-storage'], {env, timeoutMs: 60_000});
	assert.equal(setup.code, 0, setup.stderr);
	const stateFile = join(dirs.stateDir, 'sandbox-state.json');
	// What LivePerson keeps: the accounts (their users above all); the sandbox's nonce log grows with every signed GET.
	const accounts = async () => JSON.stringify((await dirs.readJson(stateFile) as {accounts: unknown}).accounts);
	const before = await accounts();
	const dry = await runCli(['--sandbox', 'api', 'POST', users, '-f', 'loginName=dry-bot', '-F', 'isEnabled=true', '--dry-run'], {env});
	assert.equal(dry.code, 0, dry.stderr);
	assert.match(dry.stdout, /^POST http:\/\/\S+\/api\/account\/12345678\/configuration\/le-users\/users\?v=4\.0\n/);
	assert.match(dry.stdout, /"loginName": "dry-bot"/);
	assert.match(dry.stderr, /Dry run: nothing was sent\./);
	assert.equal(await accounts(), before, 'the dry run changed the sandbox');
	const names = await runCli(['--sandbox', 'api', 'GET', users, '--jq', '.[].loginName'], {env});
	assert.equal(names.code, 0, names.stderr);
	assert.deepEqual(names.stdout.trim().split('\n').sort(), ['admin', 'agent', 'lp-onboard-bot']);
	const wrong = await runCli(['--sandbox', 'api', 'POST', users, '-f', 'loginName=x', '--yes'], {env});
	assert.equal(wrong.code, 2);
	assert.match(wrong.stderr, /Unknown option '--yes' for lp-onboard api/);
	assert.equal(await accounts(), before, 'a refused command line changed the sandbox');
});
