import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {FunctionsUiPort} from '../../source/provisioning/guide.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import type {ListableSecretStore} from '../../source/secrets/secret-store.js';
import {runWizard} from '../../source/wizard/run-wizard.js';
import {nextSteps, summaryLines, summaryTitle} from '../../source/wizard/summary-step.js';
import type {CredentialsResult, BotUserResult} from '../../source/wizard/types.js';
import {createWizardWorld, withAnswers} from '../support/wizard-world.js';

const accountId = '12345678';
const apiKey = {credentials: {kind: 'oauth1', appKey: 'a', appSecret: 'b', accessToken: 'c', accessTokenSecret: 'd'}, alreadyDone: false} satisfies CredentialsResult;
const botUser: BotUserResult = {loginName: 'lp-onboard-bot', loginMethod: 'api-key', isAdmin: false, created: true, alreadyDone: false};
const keychain = {kind: 'keychain'} as ListableSecretStore;
const functionsUi: FunctionsUiPort = {
	url: id => `http://127.0.0.1:40123/sandbox/functions-ui/${id}`,
	accept: async () => undefined,
	demoAdmin: () => ({username: 'admin', password: 'sandbox-admin-pass'}),
};

/** The commands in next-step lines, without their comments. */
function commandsOf(lines: readonly string[]): string[] {
	return lines.map(line => line.replace(/\s{2,}# .*$/, '').trim());
}

test('next steps start with the invocation the user ran and carry --sandbox and a non-default --profile', () => {
	const steps = nextSteps({invocation: 'node dist/cli.js', profile: 'staging', functionsUi}, {sandbox: true, csdsUrl: 'http://127.0.0.1:40123'}, {accountId, botUser, provisioning: {status: 'skipped', reason: 'declined'}});
	assert.deepEqual(commandsOf(steps), [
		'node dist/cli.js api GET \'/api/account/{accountId}/configuration/le-users/users?v=6.0\' --sandbox --profile staging',
		'node dist/cli.js status --sandbox --profile staging',
		'node dist/cli.js provision --username admin --sandbox --profile staging',
	]);
	assert.ok(steps.some(line => line.endsWith('  # provision Functions as the demo admin (password sandbox-admin-pass)')), steps.join('\n'));
	// Never the in-process sandbox's port (gone when the wizard exits), never a full URL to sign.
	assert.equal(steps.some(line => /40123|https?:\/\//.test(line)), false);
	// Each command whole, with its comment: the UI breaks it to the terminal's width (test/ui/ink-ui.test.tsx).
	const plain = nextSteps({invocation: 'lp-onboard', profile: 'default'}, {}, {accountId, botUser, provisioning: {status: 'done', report: {} as never, loginName: 'x'}});
	assert.deepEqual(plain, [
		'  lp-onboard api GET \'/api/account/{accountId}/configuration/le-users/users?v=6.0\'  # an authorized call (Bearer token): the account\'s users',
		'  lp-onboard status  # what is set up, and whether the credentials still work',
	]);
});

test('the provision next step logs in as an admin when the bot is not one, and asks the rest at the terminal (no --yes)', () => {
	const deps = {invocation: 'lp-onboard', profile: 'default'};
	const pending = {status: 'pending-ui', report: {} as never, loginName: 'alice'} as const;
	// The admin the wizard asked for.
	assert.deepEqual(commandsOf(nextSteps(deps, {}, {accountId, botUser, provisioning: pending})).at(-1), 'lp-onboard provision --username alice');
	// The bot was the admin it used: its stored key logs in.
	const adminBot = {...botUser, isAdmin: true};
	assert.deepEqual(commandsOf(nextSteps(deps, {}, {accountId, botUser: adminBot, provisioning: {...pending, loginName: adminBot.loginName}})).at(-1), 'lp-onboard provision');
	assert.deepEqual(commandsOf(nextSteps(deps, {}, {accountId, botUser: adminBot, provisioning: {status: 'skipped', reason: 'declined'}})).at(-1), 'lp-onboard provision');
	// Declined before any admin was asked for, off the sandbox: a placeholder the comment explains.
	const declined = nextSteps(deps, {}, {accountId, botUser, provisioning: {status: 'skipped', reason: 'declined'}});
	assert.deepEqual(commandsOf(declined).at(-1), 'lp-onboard provision --username ADMIN_LOGIN');
	assert.ok(declined.at(-1)?.endsWith('  # provision Functions: put an account admin\'s login for ADMIN_LOGIN'), declined.join('\n'));
});

test('a key kept nowhere: the summary says so and how to provide it, never "You are set up"', () => {
	const memory = createMemoryStore();
	const provisioning = {status: 'already-done'} as const;
	assert.equal(summaryTitle({secrets: memory}, {provisioning}), 'Set up, except: the credentials are not stored.');
	assert.equal(summaryTitle({secrets: keychain}, {provisioning}), 'You are set up.');
	assert.equal(summaryTitle({secrets: memory}, {provisioning: {status: 'failed', report: {} as never, loginName: 'x'}}), 'Set up, except: LivePerson Functions (not finished); the credentials are not stored.');
	const lines = summaryLines({profile: 'default', secrets: memory, invocation: 'lp-onboard'}, {}, {accountId, domains: {}, credentials: apiKey, botUser, provisioning}).join('\n');
	assert.match(lines, /^Credentials: +OAuth 1\.0 API key \(legacy, end of life 2026-05-31\), working, not stored$/m);
	assert.match(lines, /set\nLP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET in the\nenvironment, or pipe them as KEY=VALUE lines with --stdin\./);
	const kept = summaryLines({profile: 'default', secrets: keychain, invocation: 'lp-onboard'}, {}, {accountId, domains: {}, credentials: apiKey, botUser, provisioning}).join('\n');
	assert.match(kept, /^Credentials: +OAuth 1\.0 API key \(legacy, end of life 2026-05-31\), working, kept in the OS keychain$/m);
	assert.doesNotMatch(kept, /not stored/);
});

test('a run whose key was kept nowhere does not mark the key step done, so the next run offers a first run\'s choices', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const answers = {'auth-method': 'oauth1', 'app-key': key.appKey, 'app-secret': key.appSecret, 'access-token': key.accessToken, 'access-token-secret': key.accessTokenSecret};
	await world.config.update('default', {storage: 'env'});
	const {deps, screen} = world.run(answers, {overrides: {secrets: createMemoryStore()}});
	const result = await runWizard(withAnswers(deps, {accountId, botName: 'bot-nowhere', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url, sandbox: true});
	assert.equal(result.ok, true);
	assert.equal(screen.of('success')[0]!.title, 'Set up, except: the credentials are not stored.');
	const profile = (await world.config.load()).profiles['default']!;
	assert.equal(profile.completedSteps!.includes('api-key'), false);
	assert.equal(profile.storage, 'env', 'the "Nowhere" choice is kept');

	// The next run (a new process: an empty memory store) asks for the key again instead of claiming it is done.
	const next = world.run(answers, {overrides: {secrets: createMemoryStore()}});
	await runWizard(next.deps, {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.deepEqual(next.prompts.asked, ['auth-method', 'app-key', 'app-secret', 'access-token', 'access-token-secret']);
});
