import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createCliEnv, plainEnv, runCli} from '../support/cli.js';

test('a profile set up on the sandbox says so when used without --sandbox, instead of failing against LivePerson', async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...plainEnv};
	const setup = await runCli(['--sandbox', '--demo', '--skip-provisioning', '--insecure-storage'], {env, timeoutMs: 60_000});
	assert.equal(setup.code, 0, setup.stderr);
	const status = await runCli(['status'], {env});
	assert.equal(status.code, 2, status.stderr);
	assert.match(status.stderr, /Profile default was set up on the sandbox \(--sandbox\)\.\n {2}Add --sandbox to use it/);
	const withSandbox = await runCli(['status', '--sandbox'], {env});
	assert.equal(withSandbox.code, 0, withSandbox.stderr);
});
