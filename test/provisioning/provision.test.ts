import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import {test} from 'node:test';
import {CancelledError, exitCodes, LpError, RefusedError} from '../../source/errors.js';
import {appKeyLimitCode} from '../../source/liveperson/functions.js';
import {checkpointFile} from '../../source/provisioning/checkpoint.js';
import {provisionAccount, provisionExitCode, type ProvisioningGuide, type UiStep} from '../../source/provisioning/provision.js';
import {reportSummary} from '../../source/provisioning/report-text.js';
import {createProvisionWorld, functionsState, mutations, submitFunctionsUi} from '../support/provision-world.js';

const v1Tasks = ['activate', 'secrets', 'allowlist'];
const v2Tasks = ['activate', 'infrastructure', 'secret', 'store'];

/** A guide that records the step it was shown and does what the admin would (or would not). */
function guide({start, confirmDone = false}: {start: (step: UiStep) => Promise<boolean>; confirmDone?: boolean}) {
	const shown: UiStep[] = [];
	let confirmations = 0;
	const value: ProvisioningGuide = {
		async start(step) {
			shown.push(step);
			return start(step);
		},
		async confirmDone() {
			confirmations++;
			return confirmDone;
		},
	};
	return {guide: value, shown, confirmations: () => confirmations};
}

test('an unprovisioned V1 account with nobody at the Functions UI: the report says what the UI needs, exit 10, nothing changed', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const before = functionsState(sandbox, '12345678');
	const report = await provisionAccount(provisionOptions('12345678').options);
	assert.equal(report.ok, false);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]), v1Tasks.map(id => [id, 'pending']));
	assert.equal(report.pendingUi?.url, 'https://faas.liveperson.net/');
	assert.match(report.pendingUi.steps.join(' '), /Conversational Cloud admin.*terms of use/s);
	assert.equal(provisionExitCode([report]), exitCodes.pendingUi);
	assert.deepEqual(mutations(sandbox.requests()), []);
	assert.deepEqual(functionsState(sandbox, '12345678'), before);
	assert.equal(sandbox.state('12345678').sessions, 0, 'the session is logged out');
});

test('a fresh V1 account, accepted through the Functions UI form over HTTP, ends with the 15 default domains, faasGW\'s host included', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const page = await (await fetch(sandbox.functionsUiUrl('12345678'))).text();
	assert.match(page, /Terms of use/);
	const admin = guide({start: async step => {
		assert.equal(step.version, 1);
		await submitFunctionsUi(sandbox, step.accountId);
		return true;
	}});
	const report = await provisionAccount({...provisionOptions('12345678').options, guide: admin.guide});
	assert.equal(admin.shown.length, 1);
	assert.equal(report.ok, true);
	assert.equal(report.pendingUi, undefined);
	// The UI tasks done; the allowlist found every domain there already (provisioning adds them), so it counts as already done.
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]), v1Tasks.map(id => [id, id === 'allowlist' ? 'skipped' : 'done']));
	assert.match(report.tasks[1]!.detail!, /no public API lists them/);
	// The terms of use provision the allowlist; lp-onboard's POSTs find every domain there, which is no refusal.
	assert.equal(report.tasks[2]!.detail, '15 already listed (LivePerson added them at provisioning)');
	const state = sandbox.state('12345678');
	assert.equal(state.feature.active, true);
	assert.equal(state.allowlist.length, 15);
	assert.ok(state.allowlist.includes('va.faasgw.sandbox.test'));
	assert.deepEqual([...state.systemSecrets].sort(), ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key']);
	assert.equal(provisionExitCode([report]), exitCodes.ok);
	assert.match(await (await fetch(sandbox.functionsUiUrl('12345678'))).text(), /is provisioned/);
});

test('a fresh V2 account: the form starts provisioning, the bars follow /functions against the budget until it answers', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t, infrastructureMs: 150});
	const {options, recording} = provisionOptions('87654321');
	const admin = guide({start: async step => {
		assert.equal(step.version, 2);
		assert.match(step.steps.join(' '), /10 minutes/);
		assert.match(await submitFunctionsUi(sandbox, step.accountId), /Provisioning is running/);
		return true;
	}});
	const report = await provisionAccount({...options, guide: admin.guide});
	assert.equal(report.ok, true);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]), v2Tasks.map(id => [id, 'done']));
	const state = sandbox.state('87654321');
	assert.equal(state.feature.active, true);
	assert.deepEqual(state.systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY']);
	assert.ok(recording.runnerEvents.some(event => event.type === 'progress' && event.id === 'infrastructure' && event.progress > 0 && event.progress < 1),
		'the bar moves against the budget while /functions does not answer');
	assert.ok(sandbox.requests().every(entry => !/\/(lambdas|proxy-settings)$/.test(entry.path)), 'V2 sends only its own calls');
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('"later" at the guide: the report says what the UI needs', async t => {
	const {provisionOptions} = await createProvisionWorld({test: t});
	const admin = guide({start: async () => false});
	const report = await provisionAccount({...provisionOptions('87654321').options, guide: admin.guide});
	assert.equal(report.pendingUi?.version, 2);
	assert.equal(provisionExitCode([report]), exitCodes.pendingUi);
});

test('Functions never answers within the budget: the admin is asked what the UI shows; "no" reports the UI step as pending', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const {options} = provisionOptions('12345678');
	const admin = guide({start: async () => true, confirmDone: false});
	const report = await provisionAccount({...options, guide: admin.guide, watch: {pollMs: 5, budgetMs: 30}});
	assert.equal(admin.confirmations(), 1);
	assert.ok(report.pendingUi);
	assert.equal(report.tasks.find(task => task.id === 'activate')?.status, 'failed');
	assert.match(report.tasks.find(task => task.id === 'activate')?.error?.message ?? '', /did not answer/);
	assert.deepEqual(mutations(sandbox.requests()), []);

	const trusting = guide({start: async () => true, confirmDone: true});
	const confirmed = await provisionAccount({...options, guide: trusting.guide, watch: {pollMs: 5, budgetMs: 30}});
	assert.equal(confirmed.confirmedByAdmin, true);
	assert.equal(confirmed.tasks.find(task => task.id === 'activate')?.status, 'done');
	assert.match(confirmed.tasks.find(task => task.id === 'activate')?.detail ?? '', /confirmed by the admin/);
});

test('an account provisioned elsewhere: the UI tasks are skipped and the allowlist is checked with lpf\'s POST', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const before = functionsState(sandbox, '11223344');
	const report = await provisionAccount(provisionOptions('11223344').options);
	assert.equal(report.ok, true);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]), [['activate', 'skipped'], ['secrets', 'skipped'], ['allowlist', 'skipped']]);
	assert.deepEqual(functionsState(sandbox, '11223344'), before);
	const posts = mutations(sandbox.requests());
	assert.equal(posts.length, 15);
	assert.ok(posts.every(entry => entry.method === 'POST' && entry.path === '/api/account/11223344/proxy-settings' && entry.status === 400));
	// The summary does not list the tasks again (the bars did): a title and the counts.
	assert.deepEqual(reportSummary(report), {ok: true, title: 'LivePerson Functions V1 on 11223344 is provisioned', lines: ['3 already done']});
});

test('a non-admin is refused before anything is asked of Functions', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const {options} = provisionOptions('12345678');
	await assert.rejects(provisionAccount({...options, login: {username: 'agent', password: 'sandbox-agent-pass'}}), (error: unknown) => {
		assert.ok(error instanceof RefusedError);
		assert.equal(error.exitCode, exitCodes.refused);
		assert.match(error.message, /agent is not an administrator of account 12345678/);
		return true;
	});
	assert.ok(!sandbox.requests().some(entry => /\/(lambdas|functions|proxy-settings)$/.test(entry.path)));
	assert.equal(sandbox.state('12345678').sessions, 0, 'the refused session is logged out');
});

test('a dry run changes nothing: unprovisioned, it says what the UI needs; provisioned, it would check the allowlist', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const waiting = await provisionAccount({...provisionOptions('12345678').options, dryRun: true, yes: false});
	assert.equal(waiting.dryRun, true);
	assert.ok(waiting.pendingUi);
	assert.ok(waiting.tasks.every(task => task.status === 'pending'));
	const done = await provisionAccount({...provisionOptions('11223344').options, dryRun: true});
	assert.deepEqual(done.tasks.map(task => [task.id, task.status]), [['activate', 'skipped'], ['secrets', 'skipped'], ['allowlist', 'pending']]);
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('without --yes it asks before the first change; "no" cancels with nothing changed', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const {options} = provisionOptions('11223344');
	await assert.rejects(provisionAccount({...options, yes: false, confirm: async () => false}), CancelledError);
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('without --yes on an unprovisioned account it asks before the Functions UI step; "no" leaves the page unaccepted', async t => {
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t});
	const before = functionsState(sandbox, '12345678');
	const order: string[] = [];
	const admin = guide({start: async step => {
		order.push('ui');
		await submitFunctionsUi(sandbox, step.accountId);
		return true;
	}});
	const cancelled = provisionAccount({...provisionOptions('12345678').options, yes: false, guide: admin.guide, async confirm() {
		order.push('confirm');
		return false;
	}});
	await assert.rejects(cancelled, (error: unknown) => error instanceof CancelledError && /nothing was changed/.test(error.message));
	assert.deepEqual(order, ['confirm']);
	assert.deepEqual(functionsState(sandbox, '12345678'), before);
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('the app-key limit error stops with the fix', async t => {
	const {api, provisionOptions} = await createProvisionWorld({test: t});
	const {options} = provisionOptions('12345678');
	const limited = {...api, probeFunctions: async () => ({answering: false as const, status: 400, code: appKeyLimitCode})};
	await assert.rejects(provisionAccount({...options, api: limited}), (error: unknown) => error instanceof LpError && /maximum number of API keys/.test(error.message) && /account manager/.test(error.hint!));
});

test('a corrupt checkpoint is ignored with a warning and the run goes on', async t => {
	const {stateDir, provisionOptions} = await createProvisionWorld({test: t});
	await writeFile(checkpointFile(stateDir, '11223344'), '{"accountId": "11223344", "tasks": {"activate": ');
	const {options, recording} = provisionOptions('11223344');
	const report = await provisionAccount(options);
	assert.equal(report.ok, true);
	assert.equal(report.resumed, false);
	assert.match(recording.messages('warn')[0] ?? '', /Ignoring the provisioning checkpoint/);
});

test('--functions-version overrides what CSDS says', async t => {
	const {provisionOptions} = await createProvisionWorld({test: t});
	const report = await provisionAccount({...provisionOptions('11223344').options, versionOverride: 2});
	assert.equal(report.version, 2);
	assert.deepEqual(report.tasks.map(task => task.id), v2Tasks);
	// The V1 platform does not answer V2's /functions: the UI step is reported as pending.
	assert.ok(report.pendingUi);
});

test('aborting while it watches for Functions cancels the run', async t => {
	const {provisionOptions} = await createProvisionWorld({test: t});
	const controller = new AbortController();
	const {options} = provisionOptions('12345678', {signal: controller.signal});
	const admin = guide({start: async () => {
		setTimeout(() => {
			controller.abort();
		}, 30);
		return true;
	}});
	await assert.rejects(provisionAccount({...options, guide: admin.guide}), CancelledError);
});
