import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatStatus, runStatus} from '../../source/commands/status.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {type SecretStore} from '../../source/secrets/secret-store.js';
import {type OAuth1Key} from '../../source/liveperson/credentials.js';
import {createWizardWorld} from '../support/wizard-world.js';

const accountId = '12345678';

async function store(secrets: SecretStore, key: OAuth1Key, profile = 'default') {
	for (const [name, value] of Object.entries(key)) {
		await secrets.set({profile, accountId, name: name as keyof OAuth1Key}, value);
	}
}

test('reports each credential source with a redacted preview, and a signed call that works', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	await world.config.update('default', {accountId, botLoginName: 'lp-onboard-bot', loginMethod: 'api-key', completedSteps: ['account', 'api-key']});
	await store(world.secrets, {...key, appKey: 'stale-value-in-store'});
	const report = await runStatus({config: world.config, secrets: world.secrets, env: {LP_APP_KEY: key.appKey}, profile: 'default', api: world.api});

	assert.equal(report.accountId, accountId);
	assert.equal(report.accountSource, 'config');
	// The expectation is written out, not computed with the redact under test: the demo key's first 4 characters, its length.
	assert.equal(key.appKey, '4c8ce8a660c1f6f43537aa7130e4e19b');
	assert.equal(key.appSecret, '237f187e5698ede38c61bca37516bcf7');
	assert.deepEqual(report.credentials.appKey, {source: 'env', preview: '4c8c…(32)'});
	assert.deepEqual(report.credentials.appSecret, {source: 'keychain', preview: '237f…(32)'});
	assert.equal(report.signedCallWorks, true);
	assert.equal(report.insecureStorage, false);

	const text = formatStatus(report).join('\n');
	assert.match(text, /Authorized: +yes/);
	assert.match(text, /lp-onboard-bot \(with the credentials\)/);
	// Steps by the names the wizard's stepper gives them, not by their ids.
	assert.match(text, /Steps done: +Account, Credentials$/m);
	for (const secret of Object.values(key)) {
		assert.equal(text.includes(secret), false, 'a secret value was printed');
	}
});

test('a rejected key is signedCallWorks false; missing values are named by env var; offline is undefined', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	await world.config.update('default', {accountId});
	await store(world.secrets, {...key, appSecret: 'ffffffffffffffffffffffffffffffff'});
	const rejected = await runStatus({config: world.config, secrets: world.secrets, env: {}, profile: 'default', api: world.api});
	assert.equal(rejected.signedCallWorks, false);
	assert.match(formatStatus(rejected).join('\n'), /Authorized: +NO \(LivePerson answered HTTP 401\)/);

	const offline = await runStatus({config: world.config, secrets: world.secrets, env: {}, profile: 'default'});
	assert.equal(offline.signedCallWorks, undefined);

	await world.secrets.delete({profile: 'default', accountId, name: 'accessToken'});
	const missing = await runStatus({config: world.config, secrets: world.secrets, env: {}, profile: 'default', api: world.api});
	assert.equal(missing.credentials.accessToken?.source, 'missing');
	assert.equal(missing.signedCallWorks, undefined);
	assert.match(missing.signedCallDetail ?? '', /LP_ACCESS_TOKEN/);
});

test('an account from LP_ACCOUNT_ID wins, and an empty profile reports everything missing', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const report = await runStatus({config: world.config, secrets: createMemoryStore(), env: {}, profile: 'default', api: world.api});
	assert.equal(report.accountId, undefined);
	assert.equal(report.accountSource, 'missing');
	assert.ok(Object.values(report.credentials).every(credential => credential.source === 'missing'));
	assert.equal(report.signedCallWorks, undefined);
	const fromEnv = await runStatus({config: world.config, secrets: createMemoryStore(), env: {LP_ACCOUNT_ID: '87654321'}, profile: 'default'});
	assert.equal(fromEnv.accountId, '87654321');
	assert.equal(fromEnv.accountSource, 'env');
});

test('credentials in a plain file carry the insecure-storage warning', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	await world.config.update('default', {accountId, storage: 'file'});
	const fileStore: SecretStore = {...createMemoryStore(), kind: 'file'};
	const report = await runStatus({config: world.config, secrets: fileStore, env: {}, profile: 'default'});
	assert.equal(report.insecureStorage, true);
	assert.match(formatStatus(report).join('\n'), /Warning: Credentials are kept in a plain file \(mode 0600\)/);
});

test('on a terminal, status lines wrap between words to its width, the rest aligned under the value', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const report = await runStatus({config: world.config, secrets: createMemoryStore(), env: {LP_ACCOUNT_ID: '12345678', LP_APP_KEY: 'k'.repeat(20)}, profile: 'default', api: world.api});
	const words = new Set(formatStatus(report).join(' ').split(/\s+/));
	for (const width of [40, 60, 80] as const) {
		const lines = formatStatus(report, width);
		assert.ok(lines.every(line => line.length <= width), lines.join('\n'));
		// Every word whole: none of LP_ACCESS_TOKEN_SECRET and the like is cut in two.
		const pieces = lines.join(' ').split(/\s+/).filter(word => word !== '' && !words.has(word));
		assert.deepEqual(pieces, [], lines.join('\n'));
		const detail = lines.findIndex(line => line.startsWith('Authorized:'));
		assert.ok(lines[detail + 1]?.startsWith(' '.repeat('Authorized:    '.length)), lines.join('\n'));
	}

	// Not a terminal (no width): one line per field, for the next program.
	assert.ok(formatStatus(report).some(line => line.startsWith('Authorized:') && line.length > 80));
});
