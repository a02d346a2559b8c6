// Twelve lp-onboard processes opening the real gnome-keyring at once: each probes it with an item of its own, so none
// fails with a misleading "no unlocked default keyring" (one shared probe item made about 30 % of them fail).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {createCliEnv, runCli} from '../support/cli.js';
import {privateKeyringSkip, startPrivateKeyring} from '../support/keyring.js';

const run = promisify(execFile);

test('12 parallel status runs on one keychain profile all exit 0 and leave no probe item', {skip: privateKeyringSkip, timeout: 180_000}, async t => {
	const keyring = await startPrivateKeyring();
	t.after(async () => keyring.close());
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...keyring.bus, CI: 'true'};
	const wizard = await runCli(['--sandbox', '--demo', '--skip-provisioning', '--profile', 'p'], {env, timeoutMs: 60_000});
	assert.equal(wizard.code, 0, wizard.stderr);

	const results = await Promise.all(Array.from({length: 12}, async () =>
		runCli(['status', '--json', '--sandbox', '--profile', 'p'], {env, timeoutMs: 120_000})));
	const failed = results.filter(result => result.code !== 0);
	assert.deepEqual(failed.map(result => `${result.code ?? result.signal}: ${result.stderr.trim()}`), [], 'every run exits 0');
	for (const result of results) {
		const report = JSON.parse(result.stdout) as {credentials: Record<string, {source: string}>};
		assert.equal(report.credentials['appKey']?.source, 'keychain');
	}

	// Every probe item is gone: the keyring holds the four credentials only.
	const {stdout} = await run('secret-tool', ['search', '--all', 'service', 'lp-onboard'], {env: {...process.env, ...keyring.daemonEnv}})
		.catch((error: {stdout?: string}) => ({stdout: error.stdout ?? ''}));
	const labels = stdout.match(/^label = .*$/gm) ?? [];
	assert.deepEqual(labels.filter(label => label.includes('probe')), [], 'no probe item is left');
	assert.equal(labels.length, 4, labels.join('\n'));
});
