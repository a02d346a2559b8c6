import assert from 'node:assert/strict';
import {test} from 'node:test';
import {RefusedError} from '../../source/errors.js';
import type {ProvisionAccountOptions, ProvisionReport} from '../../source/provisioning/provision.js';
import {sandboxFunctionsUi} from '../../source/provisioning/guide.js';
import {domainsStep} from '../../source/wizard/domains-step.js';
import {provisioningStep} from '../../source/wizard/provisioning-step.js';
import type {BotUserResult, Provision} from '../../source/wizard/types.js';
import {createWizardWorld} from '../support/wizard-world.js';

const accountId = '12345678';

test('domains: a re-run compares the re-check\'s CSDS answer with the cache, says a change and saves it', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const answer = await world.api.domains(accountId);
	const calls = world.csdsCalls();
	await world.config.update('default', {accountId, domains: {fetchedAt: Date.now() - 3_600_000, map: answer}});
	const same = world.run({});
	const unchanged = await domainsStep(same.deps, {accountId, domains: answer, alreadyDone: true});
	assert.equal(unchanged.alreadyDone, true);
	assert.deepEqual(same.screen.of('step').map(({step}) => step.done), [true]);
	assert.ok(same.screen.messages('info').includes('Already done: the service domains are unchanged (checked with CSDS).'));
	assert.equal(world.csdsCalls(), calls, 'the step makes no call of its own');
	assert.ok(Date.now() - (await world.config.load()).profiles['default']!.domains!.fetchedAt < 5000, 'the fresh answer restarts the cache');

	const moved = {...answer, agentVep: 'va-moved.agentvep.sandbox.test'};
	const other = world.run({});
	const changed = await domainsStep(other.deps, {accountId, domains: moved, alreadyDone: true});
	assert.equal(changed.alreadyDone, false);
	assert.deepEqual(changed.domains, moved);
	assert.ok(other.screen.messages('warn').some(message => message.includes('changed on LivePerson; using the new ones')));
	assert.deepEqual((await world.config.load()).profiles['default']!.domains!.map, moved);
	assert.deepEqual(other.screen.of('table')[0]!.rows.find(([service]) => service === 'agentVep'), ['agentVep', 'va-moved.agentvep.sandbox.test']);
});

test('domains: a first look-up (or another account\'s cache) is not "already done"', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const answer = await world.api.domains(accountId);
	await world.config.update('default', {accountId: '87654321', domains: {fetchedAt: Date.now(), map: answer}});
	const {deps, screen} = world.run({});
	assert.equal((await domainsStep(deps, {accountId, domains: answer, alreadyDone: true})).alreadyDone, false);
	const first = world.run({});
	assert.equal((await domainsStep(first.deps, {accountId, domains: answer, alreadyDone: false})).alreadyDone, false);
	assert.deepEqual([...screen.messages('info'), ...screen.messages('warn'), ...first.screen.messages('warn')], []);
});

function fakeProvision(report: Partial<ProvisionReport> = {}) {
	const calls: ProvisionAccountOptions[] = [];
	const provision: Provision = async options => {
		calls.push(options);
		return {accountId: options.accountId, version: 1, dryRun: Boolean(options.dryRun), resumed: false, tasks: [], ok: true, ...report};
	};

	return {provision, calls};
}

const apiBot: BotUserResult = {loginName: 'lp-onboard-bot', loginMethod: 'api-key', isAdmin: false, created: true, alreadyDone: false};

test('provisioning: a non-admin bot means asking for an admin login, used for this run only', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {provision, calls} = fakeProvision();
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const {deps, prompts, screen} = world.run({'confirm-provision': true, username: 'admin', password: 'sandbox-admin-pass'}, {overrides: {provision}});
	const domains = await world.api.domains(accountId);
	const result = await provisioningStep(deps, {functionsVersion: 2}, {accountId, domains, credentials: key, botUser: apiBot});
	assert.equal(result.status, 'done');
	assert.deepEqual(prompts.asked, ['confirm-provision', 'username', 'password']);
	assert.equal(calls.length, 1);
	assert.deepEqual(calls[0]!.login, {username: 'admin', password: 'sandbox-admin-pass'});
	assert.equal(calls[0]!.versionOverride, 2);
	assert.equal(calls[0]!.yes, true);
	assert.equal(calls[0]!.stateDir, world.stateDir);
	assert.deepEqual(await world.secrets.list(), [], 'the admin password is not stored');
	assert.equal(screen.transcript().includes('sandbox-admin-pass'), false);
	assert.ok((await world.config.load()).profiles['default']!.completedSteps!.includes('provisioning'));
});

test('provisioning: an admin bot provisions with its own key login, --yes asks nothing', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {provision, calls} = fakeProvision();
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const {deps, prompts} = world.run({}, {overrides: {provision}});
	await provisioningStep(deps, {yes: true}, {accountId, domains: {}, credentials: key, botUser: {...apiBot, isAdmin: true}});
	assert.deepEqual(prompts.asked, []);
	assert.deepEqual(calls[0]!.login, {username: 'lp-onboard-bot', credentials: key});
});

test('provisioning: when the bot step was skipped, one login finds out whether the bot is an admin', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {provision, calls} = fakeProvision();
	const admin = world.sandbox.demo.accounts[accountId].admin;
	await world.secrets.set({profile: 'default', accountId, name: 'password'}, admin.password);
	const {deps, prompts} = world.run({}, {overrides: {provision}});
	const domains = await world.api.domains(accountId);
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	await provisioningStep(deps, {yes: true}, {accountId, domains, credentials: key, botUser: {loginName: 'admin', loginMethod: 'password', isAdmin: undefined, created: false, alreadyDone: true}});
	assert.deepEqual(prompts.asked, []);
	assert.deepEqual(calls[0]!.login, {username: 'admin', password: admin.password});
	assert.equal(world.sandbox.state(accountId).sessions, 0);
});

test('provisioning: declined, skipped, failed and refused', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const args = {accountId, domains: {}, credentials: key, botUser: {...apiBot, isAdmin: true}};

	const declined = fakeProvision();
	const no = world.run({'confirm-provision': false}, {overrides: {provision: declined.provision}});
	assert.deepEqual(await provisioningStep(no.deps, {}, args), {status: 'skipped', reason: 'declined'});
	assert.equal(declined.calls.length, 0);

	const skipped = world.run({}, {overrides: {provision: declined.provision}});
	assert.equal((await provisioningStep(skipped.deps, {skipProvisioning: true}, args)).status, 'skipped');

	const failing = fakeProvision({ok: false, tasks: [{id: 'feature', title: 'Activate Functions', status: 'failed', attempts: 3, ms: 1}]});
	const failed = world.run({}, {overrides: {provision: failing.provision}});
	assert.equal((await provisioningStep(failed.deps, {yes: true}, args)).status, 'failed');
	assert.ok(failed.screen.messages('warn').some(message => message.includes('Activate Functions failed')));
	assert.equal((await world.config.load()).profiles['default']?.completedSteps?.includes('provisioning') ?? false, false);

	const refusing: Provision = async () => {
		throw new RefusedError('not an admin', 'log in as an admin');
	};

	const refused = world.run({}, {overrides: {provision: refusing}});
	await assert.rejects(provisioningStep(refused.deps, {yes: true}, args), RefusedError);
});

test('provisioning: without a terminal and without --yes, the confirmation names its flag', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {provision} = fakeProvision();
	const {deps} = world.run({}, {mode: 'no-terminal', overrides: {provision}});
	await assert.rejects(
		provisioningStep(deps, {}, {accountId, domains: {}, credentials: {kind: 'oauth1', ...world.sandbox.demo.accounts[accountId].apiKey}, botUser: apiBot}),
		(error: unknown) => error instanceof Error && 'flag' in error && error.flag === '--yes',
	);
});

test('provisioning: the question says what each version does; V2 is not described with V1\'s tasks', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {provision} = fakeProvision();
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const args = {accountId, domains: {}, credentials: key, botUser: {...apiBot, isAdmin: true}};
	const v1 = world.run({'confirm-provision': true}, {overrides: {provision}});
	await provisioningStep(v1.deps, {functionsVersion: 1}, args);
	assert.match(v1.prompts.messages[0]!, /Provision LivePerson Functions \(V1\)/);
	assert.ok(v1.screen.messages('info').some(message => /V1: .*terms of use.*15 default domains/.test(message)));
	const v2 = world.run({'confirm-provision': true}, {overrides: {provision}});
	await provisioningStep(v2.deps, {functionsVersion: 2}, {...args, force: true});
	const plan = v2.screen.messages('info').find(message => message.startsWith('LivePerson Functions V2:'))!;
	assert.match(plan, /triggers the one-time provisioning.*10 minutes/);
	assert.doesNotMatch(plan, /allowlist|activate, default secrets/);
});

test('provisioning on the sandbox\'s demo: the demo admin login is offered with one confirm instead of typing it', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const {provision, calls} = fakeProvision();
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const functionsUi = sandboxFunctionsUi(world.sandbox);
	const {deps, prompts} = world.run({'confirm-provision': true, 'sandbox-admin': true}, {overrides: {provision, functionsUi}});
	await provisioningStep(deps, {}, {accountId, domains: {}, credentials: key, botUser: apiBot});
	assert.deepEqual(prompts.asked, ['confirm-provision', 'sandbox-admin']);
	assert.deepEqual(calls[0]!.login, {username: 'admin', password: 'sandbox-admin-pass'});
});

test('provisioning against LivePerson without a terminal: the step waits on the Functions UI and says so; nothing is marked done', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const admin = world.sandbox.demo.accounts[accountId].admin;
	const {deps, screen} = world.run({username: admin.loginName, password: admin.password}, {mode: 'no-terminal', overrides: {functionsUi: undefined}});
	const domains = await world.api.domains(accountId);
	const result = await provisioningStep(deps, {yes: true}, {accountId, domains, credentials: key, botUser: apiBot});
	assert.equal(result.status, 'pending-ui');
	assert.ok(screen.messages('warn').some(message => message.includes('https://faas.liveperson.net/') && message.includes('lp-onboard provision')));
	assert.equal((await world.config.load()).profiles['default']?.completedSteps?.includes('provisioning') ?? false, false);
	assert.equal(world.sandbox.state(accountId).feature.active, false);
});

test('provisioning on the in-process sandbox, "Later" at the Functions UI: it names the command that offers the page again, not its URL', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts[accountId].apiKey};
	const functionsUi = sandboxFunctionsUi(world.sandbox);
	const {deps, screen} = world.run({'confirm-provision': true, 'sandbox-admin': true, 'functions-ui': 'later'}, {overrides: {functionsUi}});
	const domains = await world.api.domains(accountId);
	const result = await provisioningStep(deps, {sandbox: true}, {accountId, domains, credentials: key, botUser: apiBot});
	assert.equal(result.status, 'pending-ui');
	const warning = screen.messages('warn').find(message => message.includes('Functions waits on the Functions UI step'));
	assert.equal(warning, 'Functions waits on the Functions UI step. To do it later, run `lp-onboard provision --username admin --sandbox`: it offers to accept the sandbox\'s page.');
	assert.equal(world.sandbox.state(accountId).feature.active, false);
});

test('provisioning with --sandbox --yes: the sandbox\'s Functions UI page is accepted on the user\'s behalf', async t => {
	const world = await createWizardWorld();
	t.after(async () => world.close());
	const key = {kind: 'oauth1' as const, ...world.sandbox.demo.accounts['87654321'].apiKey};
	const admin = world.sandbox.demo.accounts['87654321'].admin;
	const {deps, screen} = world.run({username: admin.loginName, password: admin.password}, {mode: 'no-terminal'});
	const domains = await world.api.domains('87654321');
	const result = await provisioningStep(deps, {yes: true}, {accountId: '87654321', domains, credentials: key, botUser: apiBot});
	assert.equal(result.status, 'done');
	assert.ok(screen.messages('info').some(message => /stands in for your click in the real UI/.test(message)));
	assert.equal(world.sandbox.state('87654321').feature.active, true);
});
