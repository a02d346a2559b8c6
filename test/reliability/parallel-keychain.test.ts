// Twelve lp-onboard processes opening the real gnome-keyring at once: each probes it with an item of its own, so none
// fails with a misleading "no unlocked default keyring" (one shared probe item made about 30 % of them fail).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {runCli} from '../support/cli.js';
import {keychainProfile} from '../support/keychain-profile.js';
import {privateKeyringSkip} from '../support/keyring.js';

const run = promisify(execFile);

test('12 parallel status runs on one keychain profile all exit 0 and leave no probe item', {skip: privateKeyringSkip, timeout: 180_000}, async t => {
	const {dirs, keyring, env} = await keychainProfile(t);

	const results = await Promise.all(Array.from({length: 12}, async () =>
		runCli(['status', '--json', '--sandbox', '--profile', 'p'], {env, timeoutMs: 120_000})));
	const failed = results.filter(result => result.code !== 0);
	assert.deepEqual(failed.map(result => `${result.code ?? result.signal}: ${result.stderr.trim()}`), [], 'every run exits 0');
	for (const result of results) {
		// Whichever credentials the demo set up (an OAuth 2.0 client, or a legacy key), each came from the keychain.
		const report = JSON.parse(result.stdout) as {credentials: Record<string, {source: string}>};
		const sources = Object.values(report.credentials).map(credential => credential.source);
		assert.ok(sources.length > 0, result.stdout);
		assert.deepEqual([...new Set(sources)], ['keychain'], result.stdout);
	}

	// Every probe item is gone: the keyring holds the four credentials only.
	// --sandbox items live under their own service; a probe would be under either.
	const search = async (service: string) => (await run('secret-tool', ['search', '--all', 'service', service], {env: {...process.env, ...keyring.daemonEnv}})
		.catch((error: {stdout?: string}) => ({stdout: error.stdout ?? ''}))).stdout;
	const stdout = (await search('lp-onboard')) + (await search('lp-onboard-sandbox'));
	const labels = stdout.match(/^label = .*$/gm) ?? [];
	assert.deepEqual(labels.filter(label => label.includes('probe')), [], 'no probe item is left');
	const config = await dirs.readJson(join(dirs.configDir, 'sandbox', 'config.json')) as {profiles: Record<string, {keychainItems?: string[]}>};
	assert.equal(labels.length, config.profiles['p']?.keychainItems?.length, labels.join('\n'));
});
