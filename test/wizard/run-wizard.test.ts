import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HttpError, MissingInputError} from '../../source/errors.js';
import type {OAuth1Key} from '../../source/liveperson/credentials.js';
import {signupUrl} from '../../source/wizard/account-step.js';
import {runWizard} from '../../source/wizard/run-wizard.js';
import {steps} from '../../source/wizard/steps.js';
import type {Dependencies} from '../../source/wizard/types.js';
import {createPrompter} from '../../source/prompts/prompter-stack.js';
import {createScriptedPrompter} from '../support/scripted-prompter.js';
import {createWizardWorld, keyAnswers, withAnswers, type WizardWorld} from '../support/wizard-world.js';

const accountId = '12345678';

async function storedKey(world: WizardWorld, profile = 'default'): Promise<Record<string, string | undefined>> {
	const read = async (name: 'appKey' | 'appSecret' | 'accessToken' | 'accessTokenSecret') => world.secrets.get({profile, accountId, name});
	return {appKey: await read('appKey'), appSecret: await read('appSecret'), accessToken: await read('accessToken'), accessTokenSecret: await read('accessTokenSecret')};
}

test('happy path, then a re-run that asks nothing it knows', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const admin = world.sandbox.demo.accounts[accountId].admin;

	const first = world.run(world.firstRun(accountId));
	const result = await runWizard(first.deps, {csdsUrl: world.sandbox.url});

	assert.equal(result.ok, true);
	assert.deepEqual(first.prompts.remaining(), []);
	assert.deepEqual(first.screen.steps(), steps.map((step, index) => `${index + 1}/${steps.length} ${step.title}`));
	assert.equal(result.botUser.loginName, 'lp-onboard-bot');
	assert.equal(result.botUser.created, true);
	assert.equal(result.provisioning.status, 'done');
	const success = first.screen.of('success');
	assert.equal(success.length, 1);
	assert.equal(success[0]!.title, 'You are set up.');
	// Each command whole with its comment; the UI lays it out for the terminal's width (test/ui/ink-ui.test.tsx).
	assert.match(success[0]!.lines.join('\n'), /^ {2}lp-onboard api GET '\/api\/account\/\{accountId\}\/configuration\/le-users\/users\?v=4\.0' {2}# an authorized call \(OAuth 1\.0 signature\)/m);
	assert.match(success[0]!.lines.join('\n'), /^ {2}lp-onboard status {2}# what is set up/m);

	// The key was proven, then stored; the header was shown redacted; no secret value was ever shown.
	assert.deepEqual(await storedKey(world), {...key});
	const header = first.screen.messages('info').find(message => message.includes('Authorization: OAuth'));
	assert.ok(header, 'the signed header is shown');
	const transcript = first.screen.transcript();
	for (const secret of [key.appKey, key.appSecret, key.accessToken, key.accessTokenSecret, admin.password]) {
		assert.equal(transcript.includes(secret), false, 'a secret value reached the screen');
	}

	assert.ok(first.screen.messages('info').some(message => message.includes('Campaign Builder → Data Sources → API')));
	assert.ok(first.screen.messages('info').some(message => /every 5 minutes/.test(message)));
	assert.deepEqual(first.screen.of('table')[0]!.headers, ['Service', 'Host']);

	// LivePerson now has the bot and Functions.
	const state = world.sandbox.state(accountId);
	const bot = state.users.find(user => user.loginName === 'lp-onboard-bot');
	assert.ok(bot);
	assert.equal(bot['userTypeId'], 2);
	assert.equal(bot['isApiUser'], true);
	assert.equal(bot['allowedAppKeys'], key.appKey);
	// An Agent-role profile id read from the account (a long, not a fixed 3), and the root agent group.
	const {profiles, agentGroups} = world.sandbox.demo.accounts[accountId];
	assert.deepEqual(bot['profileIds'], [profiles.find(profile => profile.roleTypeId === 2)!.id]);
	assert.deepEqual(bot['memberOf'], {agentGroupId: agentGroups.find(group => group.parentGroupId === null)!.id});
	// Accepted on the sandbox's Functions UI page with one key, saying so; the 15 default domains, faasGW's host included.
	assert.ok(first.screen.messages('info').some(message => /stands in for your click in the real UI/.test(message)));
	assert.equal(state.feature.active, true);
	assert.equal(state.allowlist.length, 15);
	assert.ok(state.allowlist.includes('va.faasgw.sandbox.test'));
	assert.equal(state.sessions, 0, 'every session was logged out');

	const profile = (await world.config.load()).profiles['default']!;
	assert.equal(profile.accountId, accountId);
	assert.equal(profile.botLoginName, 'lp-onboard-bot');
	assert.equal(profile.loginMethod, 'api-key');
	assert.deepEqual([...profile.completedSteps!].sort(), ['account', 'api-key', 'bot-user', 'domains', 'provisioning']);

	// Second run: an empty script, so any question fails the test.
	const csdsBefore = world.csdsCalls();
	const usersBefore = world.sandbox.state(accountId).requests;
	const second = world.run({});
	const again = await runWizard(second.deps, {csdsUrl: world.sandbox.url});
	assert.deepEqual(second.prompts.asked, []);
	assert.deepEqual(again.skipped, ['account', 'domains', 'api-key', 'bot-user', 'provisioning']);
	// Steps re-checked with LivePerson say "Already done" after the check, not in their header.
	assert.deepEqual(second.screen.of('step').filter(({step}) => step.done).map(({step}) => step.index), [2, 5]);
	assert.deepEqual(first.screen.of('step').filter(({step}) => step.done), []);
	assert.equal(world.csdsCalls(), csdsBefore + 1, 'one CSDS call re-checks the account; the domains step reuses its answer');
	const usersAfter = world.sandbox.state(accountId).requests;
	assert.equal((usersAfter['users.create'] ?? 0) - (usersBefore['users.create'] ?? 0), 0, 'no user created again');
	assert.ok(second.screen.messages('info').some(message => message.startsWith('Already done: account 12345678')));
	assert.ok(second.screen.messages('info').some(message => message.includes('Already done: the OAuth 1.0 API key')));
	assert.ok(second.screen.messages('info').includes('Already done: lp-onboard-bot logs in with the credentials (bot user).'));
	// Each skipped step was checked with LivePerson: CSDS for the account, a signed Users API GET each for the key and the bot.
	assert.deepEqual(second.screen.tasks().slice(0, 3), [
		'Checking that account 12345678 still resolves (CSDS): ok',
		'Checking the stored credentials: ok',
		'Checking that lp-onboard-bot still exists (Users API): ok',
	]);
	assert.equal((usersAfter['users.list'] ?? 0) - (usersBefore['users.list'] ?? 0), 2);
	assert.equal(again.ok, true);
});

test('a re-run finds its bot no longer allowed the key: it asks before adding the key back, and says what to fix when told No', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const first = world.run({...keyAnswers(key)});
	await runWizard(withAnswers(first.deps, {accountId, botName: 'lp-bot', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	await world.restartSandbox(state => {
		const bot = state.accounts.find(candidate => candidate.accountId === accountId)!.users.find(user => user.loginName === 'lp-bot')!;
		bot['allowedAppKeys'] = 'another-key';
	});
	const refused = world.run({'allow-bot-key': false});
	await assert.rejects(runWizard(refused.deps, {skipProvisioning: true, csdsUrl: world.sandbox.url}), (error: unknown) => {
		assert.match(String(error), /lp-bot exists but may not log in with this API key/);
		assert.match((error as {hint?: string}).hint ?? '', /pass --yes/);
		return true;
	});
	assert.equal(refused.screen.messages('info').some(message => message.startsWith('Already done: lp-bot')), false);
	assert.equal(refused.screen.messages('warn').some(message => message.includes('is gone')), false);
	assert.equal(world.sandbox.state(accountId).users.find(user => user.loginName === 'lp-bot')!['allowedAppKeys'], 'another-key');

	const agreed = world.run({'allow-bot-key': true});
	const result = await runWizard(agreed.deps, {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.ok, true);
	assert.deepEqual(agreed.prompts.remaining(), []);
	assert.equal(world.sandbox.state(accountId).users.find(user => user.loginName === 'lp-bot')!['allowedAppKeys'], `another-key,${key.appKey}`);
});

test('switching a legacy profile to OAuth 2.0: the bot lp-onboard made with the key gets the client id too, and logs in with it', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {apiKey: key, client} = world.sandbox.demo.accounts[accountId];
	const first = world.run({...keyAnswers(key)});
	await runWizard(withAnswers(first.deps, {accountId, botName: 'lp-onboard-bot', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	const bot = () => world.sandbox.state(accountId).users.find(user => user.loginName === 'lp-onboard-bot')!;
	assert.equal(bot()['allowedAppKeys'], key.appKey);

	// `--auth-method oauth2` (a flag the prompter knows before it asks) with the client's values, as the status hint says.
	const oauth2 = {'client-id': client.clientId, 'client-secret': client.clientSecret};
	const switching = (deps: Dependencies): Dependencies => ({...deps, prompter: {...deps.prompter, preset: id => (id === 'auth-method' ? 'oauth2' : undefined)}});
	// Without a terminal and without --yes nothing changes, and the error says how to let it.
	const unattended = world.run(oauth2, {mode: 'no-terminal'});
	await assert.rejects(runWizard(switching(unattended.deps), {skipProvisioning: true, csdsUrl: world.sandbox.url}), (error: unknown) => {
		assert.equal((error as {exitCode?: number}).exitCode, 2);
		assert.match((error as {hint?: string}).hint ?? '', /pass --yes/);
		return true;
	});
	assert.equal(bot()['allowedAppKeys'], key.appKey);

	const agreed = world.run({...oauth2, 'allow-bot-key': true}, {mode: 'no-terminal'});
	const result = await runWizard(switching(agreed.deps), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.ok, true);
	assert.equal(result.credentials.credentials.kind, 'oauth2');
	assert.equal(bot()['allowedAppKeys'], `${key.appKey},${client.clientId}`);
	assert.ok(agreed.screen.transcript().includes('Adding the client id to lp-onboard-bot\'s allowed keys'), agreed.screen.transcript());
	assert.equal(world.sandbox.state(accountId).requests['users.update'], 1);
});

test('a re-run finds that LivePerson lost the bot user and the account, says so and redoes them', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const first = world.run({...keyAnswers(key)});
	await runWizard(withAnswers(first.deps, {accountId, botName: 'lp-bot', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.ok(world.sandbox.state(accountId).users.some(user => user.loginName === 'lp-bot'));

	// Someone deleted the bot in User Management.
	await world.restartSandbox(state => {
		const account = state.accounts.find(candidate => candidate.accountId === accountId)!;
		account.users = account.users.filter(user => user.loginName !== 'lp-bot');
	});
	assert.equal(world.sandbox.state(accountId).users.some(user => user.loginName === 'lp-bot'), false);

	const second = world.run({});
	const again = await runWizard(second.deps, {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.deepEqual(second.prompts.asked, [], 'the bot is recreated with the saved name and method, unasked');
	assert.ok(second.screen.messages('warn').includes('The bot user lp-bot is gone on LivePerson; creating it again.'));
	assert.equal(second.screen.messages('info').some(message => message.startsWith('Already done: lp-bot')), false);
	assert.equal(second.screen.of('step').find(({step}) => step.title === 'Bot user')?.step.done, undefined);
	assert.ok(second.screen.tasks().includes('Creating the bot user lp-bot: ok'));
	// The restarted sandbox counts from zero: the key's proof and the bot's check, whose list the recreation reuses.
	assert.equal(world.sandbox.state(accountId).requests['users.list'], 2);
	assert.deepEqual(again.skipped, ['account', 'domains', 'api-key']);
	assert.equal(again.botUser.created, true);
	assert.equal(again.botUser.alreadyDone, false);
	const bot = world.sandbox.state(accountId).users.find(user => user.loginName === 'lp-bot');
	assert.equal(bot?.['allowedAppKeys'], key.appKey);
	assert.match(second.screen.of('success')[0]!.lines.join('\n'), /lp-bot with the credentials \(bot user\) \(created now\)/);
	assert.equal(world.sandbox.state(accountId).sessions, 0);

	// An account that no longer resolves is not taken on trust either: at a terminal it is asked for again.
	await world.config.update('default', {accountId: '99999999'});
	// Another account id makes the rest stale: the stored key is proved again, the bot asked for.
	const third = world.run({'account-id': accountId, 'login-method': 'api-key', 'bot-login-name': 'lp-bot'});
	await runWizard(third.deps, {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.ok(third.screen.failures().some(message => message.startsWith('Account 99999999 no longer resolves on LivePerson')));
	assert.equal(third.prompts.asked[0], 'account-id');
	const gone = world.run({}, {mode: 'no-terminal'});
	await world.config.update('default', {accountId: '99999999'});
	await assert.rejects(runWizard(gone.deps, {skipProvisioning: true, csdsUrl: world.sandbox.url}), (error: unknown) => error instanceof HttpError && error.status === 404);
});

test('steps 1–4 make one CSDS call and provisioning can be skipped', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const {deps, prompts} = world.run({...keyAnswers(key)});
	const result = await runWizard(withAnswers(deps, {accountId, botName: 'my-bot', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.deepEqual(prompts.asked, ['auth-method', 'app-key', 'app-secret', 'access-token', 'access-token-secret']);
	assert.equal(world.csdsCalls(), 1);
	assert.deepEqual(result.provisioning, {status: 'skipped', reason: '--skip-provisioning'});
	assert.equal(world.sandbox.state(accountId).feature.active, false);
});

test('without a terminal, a missing answer is a MissingInputError naming its flag and env var', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {deps} = world.run({}, {mode: 'no-terminal'});
	await assert.rejects(runWizard(deps, {}), (error: unknown) => {
		assert.ok(error instanceof MissingInputError);
		assert.equal(error.flag, '--account');
		assert.equal(error.env, 'LP_ACCOUNT_ID');
		return true;
	});

	// Without a terminal the kind takes its default, OAuth 2.0 (as the real prompter does): both its values are missing,
	// and one error names both.
	const next = world.run({'auth-method': 'oauth2'}, {mode: 'no-terminal'});
	await assert.rejects(runWizard(withAnswers(next.deps, {accountId}), {}), (error: unknown) => error instanceof MissingInputError && error.env === 'LP_CLIENT_ID and LP_CLIENT_SECRET');
	assert.deepEqual(await world.secrets.list(), []);
});

test('a 401 on the signed call asks again at a terminal, and only the working key is stored', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const wrong = {...key, appSecret: 'ffffffffffffffffffffffffffffffff'};
	// After the refusal the kind is asked again (the way to OAuth 2.0); the same legacy key is chosen.
	const {deps, prompts, screen} = world.run({
		'auth-method': ['oauth1', 'oauth1'],
		'app-key': [wrong.appKey, key.appKey],
		'app-secret': [wrong.appSecret, key.appSecret],
		'access-token': [key.accessToken, key.accessToken],
		'access-token-secret': [key.accessTokenSecret, key.accessTokenSecret],
	});
	const result = await runWizard(withAnswers(deps, {accountId, botName: 'bot-401', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.ok, true);
	assert.deepEqual(prompts.remaining(), []);
	assert.equal(prompts.asked.filter(id => id === 'app-secret').length, 2);
	assert.ok(screen.messages('warn').some(message => message.includes('refused the key (HTTP 401)')));
	assert.deepEqual(await storedKey(world), {...key});
	assert.equal(screen.transcript().includes(wrong.appSecret), false);
});

test('without a terminal, a 401 on the signed call fails with a hint and stores nothing', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const {deps} = world.run({...keyAnswers({...key, accessTokenSecret: 'ffffffffffffffffffffffffffffffff'})}, {mode: 'no-terminal'});
	await assert.rejects(runWizard(withAnswers(deps, {accountId}), {csdsUrl: world.sandbox.url}), (error: unknown) => {
		assert.ok(error instanceof HttpError);
		assert.equal(error.status, 401);
		assert.match(error.message, /nothing was saved/);
		assert.match(error.hint ?? '', /LP_APP_KEY/);
		return true;
	});
	assert.deepEqual(await world.secrets.list(), []);
	const profile = (await world.config.load()).profiles['default']!;
	assert.deepEqual(profile.completedSteps, ['account', 'domains']);
});

test('an unknown account is asked again at a terminal; an empty answer opens the sign-up page', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const {deps, prompts, screen, opened} = world.run({'account-id': ['', '99999999', accountId], ...keyAnswers(key)});
	await runWizard(withAnswers(deps, {botName: 'bot-x', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.deepEqual(opened, [signupUrl]);
	assert.equal(prompts.asked.filter(id => id === 'account-id').length, 3);
	assert.ok(screen.failures().some(message => message.includes('Account 99999999 was not found')));
	// Once: as the look-up's failure, not again as a warning.
	assert.ok(!screen.messages('warn').some(message => message.includes('99999999')), screen.messages('warn').join('\n'));
	assert.ok(screen.messages('info').some(message => message.includes(signupUrl)));
});

test('on the sandbox an unknown account is asked again with the demo account as the default: Enter takes it', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const {deps, prompts, screen, opened} = world.run({'account-id': ['99999999', ''], ...keyAnswers(key)}, {overrides: {demoAccountId: accountId}});
	const result = await runWizard(withAnswers(deps, {botName: 'bot-x', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url, sandbox: true});
	assert.equal(result.accountId, accountId);
	assert.deepEqual(opened, []);
	assert.equal(prompts.asked.filter(id => id === 'account-id').length, 2);
	assert.ok(screen.failures().some(message => message.includes('Account 99999999 was not found')));
});

test('without a terminal, an unknown account fails with the CSDS error', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {deps} = world.run({}, {mode: 'no-terminal'});
	await assert.rejects(runWizard(withAnswers(deps, {accountId: '99999999'}), {}), (error: unknown) => error instanceof HttpError && error.status === 404);
	const bad = world.run({}, {mode: 'no-terminal'});
	await assert.rejects(runWizard(withAnswers(bad.deps, {accountId: 'no spaces!'}), {}), /An account id is 1 to 20 letters/);
});

test('"← Back" at the login method goes back to the credentials and keeps the ones just proven', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {client} = world.sandbox.demo.accounts[accountId];
	const {deps, prompts, screen} = world.run({
		'auth-method': ['oauth2', 'keep'],
		'client-id': client.clientId,
		'client-secret': client.clientSecret,
		'login-method': ['back', 'api-key'],
		'bot-login-name': 'bot-back',
	});
	const result = await runWizard(withAnswers(deps, {accountId}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.deepEqual(prompts.remaining(), []);
	// The client id and secret are asked once: going back offers to keep them, and Enter does.
	assert.deepEqual(prompts.asked.slice(0, 6), ['auth-method', 'client-id', 'client-secret', 'login-method', 'auth-method', 'login-method']);
	assert.ok(prompts.messages[4]!.includes('Which credentials'));
	assert.deepEqual(screen.steps().map(step => step.split(' ')[0]), ['1/6', '2/6', '3/6', '4/6', '3/6', '4/6', '5/6', '6/6']);
	assert.equal(result.credentials.credentials.kind, 'oauth2');
	assert.equal(result.botUser.loginName, 'bot-back');
});

test('"<" at the first credentials prompt goes back to the account, which keeps what was typed', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const {deps, prompts} = world.run({
		'account-id': [accountId, ''],
		'auth-method': ['oauth1', 'back', 'oauth1'],
		'app-key': ['<', key.appKey],
		'app-secret': key.appSecret,
		'access-token': key.accessToken,
		'access-token-secret': key.accessTokenSecret,
	});
	const result = await runWizard(withAnswers(deps, {botName: 'bot-back2', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	// "<" goes back one question (the kind of credentials); "← Back" there goes back to the account.
	assert.deepEqual(prompts.asked.slice(0, 5), ['account-id', 'auth-method', 'app-key', 'auth-method', 'account-id']);
	assert.match(prompts.messages[4]!, /Enter keeps it/);
	assert.equal(result.accountId, accountId, 'an empty answer kept the account typed before going back');
	assert.deepEqual(prompts.remaining(), []);
});

test('a stored key that stopped working is asked for again', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	for (const [name, value] of Object.entries({...key, appSecret: 'ffffffffffffffffffffffffffffffff'})) {
		await world.secrets.set({profile: 'default', accountId, name: name as keyof OAuth1Key}, value);
	}

	const {deps, screen} = world.run({...keyAnswers(key)});
	const result = await runWizard(withAnswers(deps, {accountId, botName: 'bot-stale', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.credentials.alreadyDone, false);
	assert.ok(screen.messages('warn').some(message => message.includes('stored credentials') && message.includes('401')));
	assert.deepEqual(await storedKey(world), {...key});
});

test('an existing user that may not log in with the key is not taken over', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const {deps} = world.run({...keyAnswers(key)});
	await assert.rejects(runWizard(withAnswers(deps, {accountId, botName: 'agent', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url}), /agent exists but may not log in with this API key/);
	assert.equal(world.sandbox.state(accountId).requests['users.create'] ?? 0, 0);
});

test('the password login method logs in with username and password and stores the password', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const admin = world.sandbox.demo.accounts[accountId].admin;
	const {deps, prompts} = world.run({...keyAnswers(key), 'login-method': 'password', username: admin.loginName, password: admin.password, 'confirm-provision': false});
	const result = await runWizard(withAnswers(deps, {accountId}), {csdsUrl: world.sandbox.url});
	assert.deepEqual(prompts.remaining(), []);
	assert.equal(result.botUser.loginMethod, 'password');
	assert.equal(result.botUser.isAdmin, true);
	assert.deepEqual(result.provisioning, {status: 'skipped', reason: 'declined'});
	assert.equal(await world.secrets.get({profile: 'default', accountId, name: 'password'}), admin.password);
});

test('a bot user another run creates between our look and our create is found, not an error', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = world.sandbox.demo.accounts[accountId].apiKey;
	const racing = world.run({...keyAnswers(key)});
	// Another run wins the race: it creates the same bot user just before ours does, and LivePerson refuses ours.
	const api = {
		...world.api,
		async createUser(...args: Parameters<typeof world.api.createUser>) {
			await world.api.createUser(...args);
			return world.api.createUser(...args);
		},
	};
	const result = await runWizard(withAnswers({...racing.deps, api}, {accountId, botName: 'raced-bot', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.botUser.loginName, 'raced-bot');
	assert.ok(racing.screen.messages('info').some(message => message.includes('created meanwhile by another run')));
});

test('the legacy key on the account past OAuth 1.0\'s end of life: a clear end-of-life message, nothing stored; its OAuth 2.0 client works', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const eol = '22334455';
	const {apiKey, client} = world.sandbox.demo.accounts[eol];
	const refused = world.run({...keyAnswers(apiKey)}, {mode: 'no-terminal'});
	await assert.rejects(runWizard(withAnswers(refused.deps, {accountId: eol, botName: 'bot-eol', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url}), (error: unknown) => {
		assert.ok(error instanceof HttpError);
		assert.equal(error.status, 401);
		assert.match(error.hint!, /ended OAuth 1\.0 on 2026-05-31/);
		assert.match(error.hint!, /--auth-method oauth2/);
		return true;
	});
	assert.deepEqual(await world.secrets.list(), []);

	const {deps, screen} = world.run({'auth-method': 'oauth2', 'client-id': client.clientId, 'client-secret': client.clientSecret});
	const result = await runWizard(withAnswers(deps, {accountId: eol, botName: 'bot-eol', loginMethod: 'api-key'}), {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.ok, true);
	assert.equal(result.credentials.credentials.kind, 'oauth2');
	assert.equal(result.botUser.created, true);
	assert.match(screen.of('success')[0]!.lines.join('\n'), /users\?v=6\.0/);
	// The login's own sessionTTl (the sandbox's 28800000 ms), not a fixed number.
	assert.ok(screen.messages('info').some(message => message.startsWith('This login lasts 8 hours (its sessionTTl).')));
});

test('at a terminal, a legacy key refused even though --auth-method oauth1 named it: the kind is asked again, and OAuth 2.0 gets through', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const eol = '22334455';
	const {apiKey, client} = world.sandbox.demo.accounts[eol];
	// The real prompter stack: the flag and the key's variables first, then the person (a scripted terminal).
	const terminal = createScriptedPrompter({'auth-method': 'oauth2', 'client-id': client.clientId, 'client-secret': client.clientSecret});
	const prompter = createPrompter({
		answers: {'account-id': eol, 'auth-method': 'oauth1', 'bot-login-name': 'bot-eol', 'login-method': 'api-key'},
		env: {LP_APP_KEY: apiKey.appKey, LP_APP_SECRET: apiKey.appSecret, LP_ACCESS_TOKEN: apiKey.accessToken, LP_ACCESS_TOKEN_SECRET: apiKey.accessTokenSecret},
		terminal: terminal.prompter,
	});
	const {deps, screen} = world.run({});
	const result = await runWizard({...deps, prompter}, {skipProvisioning: true, csdsUrl: world.sandbox.url});
	assert.equal(result.ok, true);
	assert.equal(result.credentials.credentials.kind, 'oauth2');
	assert.deepEqual(terminal.asked, ['auth-method', 'client-id', 'client-secret']);
	assert.deepEqual(terminal.remaining(), []);
	assert.ok(screen.messages('warn').some(message => /refused the key \(HTTP 401\)/.test(message)));
});
