import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import {test} from 'node:test';
import {CancelledError, exitCodes, RefusedError} from '../../source/errors.js';
import {checkpointFile} from '../../source/provisioning/checkpoint.js';
import {provisionAccount, provisionExitCode, reportRows} from '../../source/provisioning/provision.js';
import type {RunnerEvent} from '../../source/tasks/task-runner.js';
import {createEnvironment, functionsState, mutations} from './helpers/sandbox-setup.js';

const v1Tasks = ['activate', 'secret:lp-faas-default-app-key', 'secret:lp-faas-orchestrator-app-key', 'allowlist'];
const v2Tasks = ['infrastructure', 'secret:LIVEPERSON_DEFAULT_APP_KEY', 'activate'];

test('a fresh V1 account gets the feature, both secrets and the 14 default domains', async t => {
	const {sandbox, stateDir, provisionOptions} = await createEnvironment(t);
	const {options} = provisionOptions('12345678');
	const report = await provisionAccount(options);

	assert.equal(report.ok, true);
	assert.equal(report.version, 1);
	assert.equal(report.resumed, false);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status, task.attempts]), v1Tasks.map(id => [id, 'done', 1]));
	assert.equal(report.tasks.find(task => task.id === 'allowlist')?.detail, '14 domains added, 0 already allowed');

	const state = sandbox.state('12345678');
	assert.equal(state.feature.active, true);
	assert.deepEqual([...state.systemSecrets].sort(), ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key']);
	assert.equal(state.allowlist.length, 14);
	assert.equal(new Set(state.allowlist).size, 14);
	assert.ok(state.allowlist.includes('va.agentvep.sandbox.test'));
	assert.equal(state.sessions, 0, 'the session is logged out at the end');
	// One write per change: the feature, two secrets, 14 domains.
	assert.deepEqual(mutations(sandbox.requests()).map(entry => `${entry.method} ${entry.path.replace(/^\/api\/account\/12345678/, '')} ${entry.status}`).sort(), [
		...Array.from({length: 14}, () => 'POST /proxy-settings 200'),
		'PUT /feature 200',
		'PUT /system-secrets/lp-faas-default-app-key 201',
		'PUT /system-secrets/lp-faas-orchestrator-app-key 201',
	]);
	assert.equal(provisionExitCode([report]), exitCodes.ok);

	const checkpoint = JSON.parse(await readFile(checkpointFile(stateDir, '12345678'), 'utf8')) as {tasks: Record<string, {status: string}>};
	assert.deepEqual(Object.keys(checkpoint.tasks).sort(), [...v1Tasks].sort());
	assert.ok(Object.values(checkpoint.tasks).every(entry => entry.status === 'done'));
});

test('a fresh V2 account gets the infrastructure, then the secret, then the feature', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t, {infrastructureMs: 60});
	const {options, recording} = provisionOptions('87654321');
	const report = await provisionAccount(options);

	assert.equal(report.ok, true);
	assert.equal(report.version, 2);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]), v2Tasks.map(id => [id, 'done']));
	const state = sandbox.state('87654321');
	assert.deepEqual(state.infrastructure, {state: 'done', progress: 100});
	assert.deepEqual(state.systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY']);
	assert.equal(state.feature.active, true);

	const statuses = recording.events.flatMap(event => event.type === 'status' ? [`${event.id}:${event.status}`] : []);
	const at = (entry: string) => statuses.indexOf(entry);
	assert.ok(at('infrastructure:done') < at('secret:LIVEPERSON_DEFAULT_APP_KEY:running'));
	assert.ok(at('secret:LIVEPERSON_DEFAULT_APP_KEY:done') < at('activate:running'));
	const progress = recording.events.flatMap(event => event.type === 'progress' && event.id === 'infrastructure' ? [event.progress] : []);
	assert.ok(progress.length >= 2, 'the infrastructure reports progress while it runs');
	assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
	assert.equal(progress.at(-1), 1);
});

for (const [accountId, taskIds] of [['12345678', v1Tasks], ['87654321', v2Tasks]] as const) {
	test(`a second run on ${accountId} skips every task and changes nothing`, async t => {
		const {sandbox, provisionOptions} = await createEnvironment(t);
		await provisionAccount(provisionOptions(accountId).options);
		const before = functionsState(sandbox, accountId);
		const logged = sandbox.requests().length;

		const report = await provisionAccount(provisionOptions(accountId).options);
		assert.equal(report.ok, true);
		assert.equal(report.resumed, true);
		assert.deepEqual(report.tasks.map(task => [task.id, task.status]), taskIds.map(id => [id, 'skipped']));
		for (const task of report.tasks) {
			assert.match(task.detail ?? '', /^(already active|already installed|already provisioned|all 14 domains already allowed) \(resumed\)$/);
			assert.equal(task.resumed, true);
			assert.equal(task.attempts, 1, 'the attempts of the run that did it');
		}

		assert.deepEqual(functionsState(sandbox, accountId), before);
		assert.deepEqual(mutations(sandbox.requests().slice(logged)), []);
	});
}

test('an account provisioned elsewhere (no checkpoint) is all skipped, without "resumed"', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	const before = functionsState(sandbox, '11223344');
	const report = await provisionAccount(provisionOptions('11223344').options);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status, task.detail]), [
		['activate', 'skipped', 'already active'],
		['secret:lp-faas-default-app-key', 'skipped', 'already installed'],
		['secret:lp-faas-orchestrator-app-key', 'skipped', 'already installed'],
		['allowlist', 'skipped', 'all 14 domains already allowed'],
	]);
	assert.equal(report.resumed, false);
	assert.deepEqual(functionsState(sandbox, '11223344'), before);
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('a V1 run\'s events: all four tasks start at once, the allowlist counts up per domain, each ends done', async t => {
	const {provisionOptions} = await createEnvironment(t);
	const {options, recording} = provisionOptions('12345678');
	await provisionAccount(options);
	const {events} = recording;

	// Independent tasks run in parallel: every task is running before the first one settles.
	const firstSettled = events.findIndex(event => event.type === 'status' && event.status !== 'running');
	const startedBefore = events.slice(0, firstSettled).flatMap(event => event.type === 'status' && event.status === 'running' ? [event.id] : []);
	assert.deepEqual(startedBefore.sort(), [...v1Tasks].sort());

	for (const id of v1Tasks) {
		const own = events.filter(event => event.id === id);
		const statuses = own.flatMap(event => event.type === 'status' ? [[event.status, event.attempt]] : []);
		assert.deepEqual(statuses, [['running', 1], ['done', 1]], id);
		assert.ok(!own.some(event => event.type === 'retry'));
	}

	const allowlist = events.flatMap(event => event.type === 'progress' && event.id === 'allowlist' ? [event] : []);
	assert.deepEqual(allowlist.map(event => Math.round(event.progress * 14)), Array.from({length: 15}, (_, index) => index));
	assert.equal(allowlist[0]?.detail, '0 already allowed');
	assert.match(allowlist[1]?.detail ?? '', /^va\.[a-z]+\.sandbox\.test$/);
});

function interruptedThenResumed(accountId: string, interrupt: (events: RunnerEvent[], abort: () => void) => void, faults?: (environment: Awaited<ReturnType<typeof createEnvironment>>) => void) {
	return async (t: {after(fn: () => Promise<void>): void}) => {
		const reference = await createEnvironment(t);
		await provisionAccount(reference.provisionOptions(accountId).options);

		const environment = await createEnvironment(t);
		faults?.(environment);
		const controller = new AbortController();
		const seen: RunnerEvent[] = [];
		const first = environment.provisionOptions(accountId, {
			signal: controller.signal,
			onEvent(event) {
				seen.push(event);
				interrupt(seen, () => {
					controller.abort();
				});
			},
		});
		await assert.rejects(provisionAccount(first.options), CancelledError);
		const cancelled = first.recording.events.filter(event => event.type === 'status' && event.status === 'cancelled');
		assert.ok(cancelled.length > 0, 'something was left undone');
		environment.sandbox.clearFaults();

		const checkpoint = JSON.parse(await readFile(checkpointFile(environment.stateDir, accountId), 'utf8')) as {tasks: Record<string, {status: string}>};
		assert.ok(Object.values(checkpoint.tasks).some(entry => entry.status === 'done'));
		assert.ok(Object.values(checkpoint.tasks).some(entry => entry.status === 'cancelled'));

		const report = await provisionAccount(environment.provisionOptions(accountId).options);
		assert.equal(report.ok, true);
		assert.equal(report.resumed, true);
		assert.deepEqual(functionsState(environment.sandbox, accountId), functionsState(reference.sandbox, accountId));
		const state = environment.sandbox.state(accountId);
		assert.equal(new Set(state.allowlist).size, state.allowlist.length, 'no duplicate domain');
		assert.equal(new Set(state.systemSecrets).size, state.systemSecrets.length, 'no duplicate secret');
		return report;
	};
}

test('a V1 run aborted after its first task, run again, ends as an uninterrupted run', async t => {
	const run = interruptedThenResumed('12345678', (events, abort) => {
		const last = events.at(-1);
		if (last?.type === 'status' && last.status === 'done') {
			abort();
		}
	});
	const report = await run(t);
	assert.ok(report.tasks.some(task => task.status === 'skipped' && task.detail?.endsWith('(resumed)')));
	assert.ok(report.tasks.some(task => task.status === 'done'));
});

test('a V1 run aborted while a secret request hangs, run again, ends as an uninterrupted run', async t => {
	const run = interruptedThenResumed('12345678', (events, abort) => {
		const done = events.filter(event => event.type === 'status' && event.status === 'done').length;
		if (done === 3) {
			abort();
		}
	}, ({sandbox}) => {
		sandbox.addFault({match: {method: 'PUT', path: '/system-secrets/lp-faas-orchestrator-app-key'}, kind: 'hang'});
	});
	const report = await run(t);
	const orchestrator = report.tasks.find(task => task.id === 'secret:lp-faas-orchestrator-app-key');
	assert.equal(orchestrator?.status, 'done');
	assert.equal(orchestrator?.attempts, 2, 'the hanging attempt and the one that went through');
});

test('a V1 run aborted half-way through the allowlist, run again, adds only the missing domains', async t => {
	const run = interruptedThenResumed('12345678', (events, abort) => {
		const last = events.at(-1);
		if (last?.type === 'progress' && last.id === 'allowlist' && Math.round(last.progress * 14) === 5) {
			abort();
		}
	});
	const report = await run(t);
	const allowlist = report.tasks.find(task => task.id === 'allowlist');
	assert.equal(allowlist?.status, 'done');
	assert.match(allowlist?.detail ?? '', /^(8|9) domains added, (6|5) already allowed$/);
});

test('a V2 run aborted after the infrastructure, run again, ends as an uninterrupted run', async t => {
	const run = interruptedThenResumed('87654321', (events, abort) => {
		const last = events.at(-1);
		if (last?.type === 'status' && last.id === 'infrastructure' && last.status === 'done') {
			abort();
		}
	});
	const report = await run(t);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]), [
		['infrastructure', 'skipped'],
		['secret:LIVEPERSON_DEFAULT_APP_KEY', 'done'],
		['activate', 'done'],
	]);
});

const transientFaults = [
	{name: '500', fault: {kind: 'status', status: 500}},
	{name: '503', fault: {kind: 'status', status: 503}},
	{name: '429', fault: {kind: 'status', status: 429}},
	{name: 'reset', fault: {kind: 'reset'}},
] as const;

const v1Writes = [
	{task: 'activate', method: 'PUT', path: '/feature', idempotent: true},
	{task: 'secret:lp-faas-default-app-key', method: 'PUT', path: '/system-secrets/lp-faas-default-app-key', idempotent: true},
	{task: 'secret:lp-faas-orchestrator-app-key', method: 'PUT', path: '/system-secrets/lp-faas-orchestrator-app-key', idempotent: true},
	{task: 'allowlist', method: 'POST', path: '/proxy-settings', idempotent: false},
] as const;

/** How many times the sandbox received a request to this path of the account. */
function sends(sandbox: Awaited<ReturnType<typeof createEnvironment>>['sandbox'], accountId: string, method: string, path: string): number {
	return sandbox.requests().filter(entry => entry.method === method && entry.path === `/api/account/${accountId}${path}`).length;
}

for (const {name, fault} of transientFaults) {
	test(`${name} three times on every V1 write is retried by the HTTP layer alone: 4 sends at most, never a task retry`, async t => {
		const {sandbox, pauses, provisionOptions} = await createEnvironment(t);
		for (const write of v1Writes) {
			sandbox.addFault({match: {method: write.method, path: write.path}, ...fault, times: 3});
		}

		const {options, recording} = provisionOptions('12345678');
		const report = await provisionAccount(options);
		assert.ok(!recording.events.some(event => event.type === 'retry'), 'the task runner retried nothing');
		assert.ok(report.tasks.every(task => task.attempts === 1), JSON.stringify(report.tasks.map(task => [task.id, task.attempts])));
		const byId = new Map(report.tasks.map(task => [task.id, task]));
		// A 429 is retried for any call (the service did not act); a 5xx or a reset only for idempotent ones.
		const retried = (write: typeof v1Writes[number]) => write.idempotent || ('status' in fault && fault.status === 429);
		for (const write of v1Writes) {
			const task = byId.get(write.task)!;
			if (retried(write)) {
				assert.equal(task.status, 'done', write.task);
				assert.equal(sends(sandbox, '12345678', write.method, write.path), write.task === 'allowlist' ? 4 + 13 : 4, write.task);
			} else {
				assert.equal(task.status, 'failed', write.task);
				assert.equal(sends(sandbox, '12345678', write.method, write.path), 1, write.task);
			}
		}

		const perCall = ('status' in fault && fault.status === 429) ? [1000, 1000, 1000] : [5000, 10_000, 15_000];
		const calls = v1Writes.filter(write => retried(write)).length;
		assert.deepEqual([...pauses].sort((a, b) => a - b), Array.from({length: calls}, () => perCall).flat().sort((a, b) => a - b));
		const state = sandbox.state('12345678');
		assert.equal(new Set(state.allowlist).size, state.allowlist.length);
		assert.equal(state.systemSecrets.length, 2);
	});
}

for (const {name, fault} of transientFaults) {
	test(`${name} three times on the V2 writes is retried by the HTTP layer and the account ends provisioned`, async t => {
		const {sandbox, pauses, provisionOptions} = await createEnvironment(t);
		const writes = [['POST', '/infrastructure'], ['PUT', '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY'], ['PUT', '/feature']] as const;
		for (const [method, path] of writes) {
			sandbox.addFault({match: {method, path}, ...fault, times: 3});
		}

		const report = await provisionAccount(provisionOptions('87654321').options);
		assert.equal(report.ok, true, JSON.stringify(report.tasks));
		assert.ok(report.tasks.every(task => task.attempts === 1));
		for (const [method, path] of writes) {
			assert.equal(sends(sandbox, '87654321', method, path), 4, path);
		}

		assert.equal(pauses.length, 9);
		assert.equal(sandbox.state('87654321').feature.active, true);
	});
}

test('a persistent 500 on the allowlist fails that task at once with a hint; the others are done', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	sandbox.addFault({match: {method: 'POST', path: '/proxy-settings'}, kind: 'status', status: 500});
	const report = await provisionAccount(provisionOptions('12345678').options);

	assert.equal(report.ok, false);
	const allowlist = report.tasks.find(task => task.id === 'allowlist');
	assert.equal(allowlist?.status, 'failed');
	assert.equal(allowlist?.attempts, 1);
	assert.equal(sends(sandbox, '12345678', 'POST', '/proxy-settings'), 1, 'a POST that may have been carried out is sent once');
	assert.match(allowlist?.error?.message ?? '', /500/);
	assert.ok(allowlist?.error?.hint);
	assert.deepEqual(report.tasks.filter(task => task.id !== 'allowlist').map(task => task.status), ['done', 'done', 'done']);
	assert.equal(provisionExitCode([report]), exitCodes.partial);
	assert.ok(reportRows(report).some(([title, result]) => title.startsWith('Allowlist') && result.startsWith('failed: ')));
	assert.deepEqual(sandbox.state('12345678').allowlist, []);
});

test('a persistent 503 on an idempotent write is sent 4 times with pauses of 5, 10 and 15 s, not 9 times', async t => {
	const {sandbox, pauses, provisionOptions} = await createEnvironment(t);
	sandbox.addFault({match: {method: 'PUT', path: '/feature'}, kind: 'status', status: 503});
	const report = await provisionAccount(provisionOptions('12345678').options);
	const activate = report.tasks.find(task => task.id === 'activate');
	assert.equal(activate?.status, 'failed');
	assert.equal(activate?.attempts, 1);
	assert.match(activate?.error?.message ?? '', /503 \(503\) after 4 tries/);
	assert.equal(sends(sandbox, '12345678', 'PUT', '/feature'), 4);
	assert.deepEqual(pauses, [5000, 10_000, 15_000]);
});

test('a 403 is not retried', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	sandbox.addFault({match: {method: 'PUT', path: '/feature'}, kind: 'status', status: 403});
	const report = await provisionAccount(provisionOptions('12345678').options);
	const activate = report.tasks.find(task => task.id === 'activate');
	assert.equal(activate?.status, 'failed');
	assert.equal(activate?.attempts, 1);
	assert.match(activate?.error?.hint ?? '', /admin/);
});

test('a non-admin is refused before anything changes', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	const before = functionsState(sandbox, '12345678');
	const {options} = provisionOptions('12345678');
	await assert.rejects(provisionAccount({...options, login: {username: 'agent', password: 'sandbox-agent-pass'}}), (error: unknown) => {
		assert.ok(error instanceof RefusedError);
		assert.equal(error.exitCode, exitCodes.refused);
		assert.match(error.message, /agent is not an administrator of account 12345678/);
		assert.match(error.hint ?? '', /admin/);
		return true;
	});
	assert.deepEqual(mutations(sandbox.requests()), []);
	assert.ok(!sandbox.requests().some(entry => entry.path.includes('/feature') || entry.path.includes('/system-secrets')));
	assert.deepEqual(functionsState(sandbox, '12345678'), before);
	assert.equal(sandbox.state('12345678').sessions, 0, 'the refused session is logged out');
});

test('a dry run lists what each task would do and changes nothing', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	const {options} = provisionOptions('12345678');
	const report = await provisionAccount({...options, dryRun: true, yes: false});
	assert.equal(report.dryRun, true);
	assert.equal(report.ok, true);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status, task.detail]), [
		['activate', 'pending', 'would activate the Functions feature'],
		['secret:lp-faas-default-app-key', 'pending', 'would install the lp-faas-default-app-key system secret'],
		['secret:lp-faas-orchestrator-app-key', 'pending', 'would install the lp-faas-orchestrator-app-key system secret'],
		['allowlist', 'pending', 'would allowlist the 14 default domains'],
	]);
	assert.deepEqual(mutations(sandbox.requests()), []);

	const done = await provisionAccount({...provisionOptions('11223344').options, dryRun: true});
	assert.ok(done.tasks.every(task => task.status === 'skipped'));
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('without --yes it asks first; "no" cancels with nothing changed', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	let asked = 0;
	const {options} = provisionOptions('12345678');
	await assert.rejects(provisionAccount({...options, yes: false, async confirm() {
		asked++;
		return false;
	}}), CancelledError);
	assert.equal(asked, 1);
	assert.deepEqual(mutations(sandbox.requests()), []);

	const report = await provisionAccount({...options, yes: false, async confirm() {
		asked++;
		return true;
	}});
	assert.equal(asked, 2);
	assert.equal(report.ok, true);
});

test('a corrupt checkpoint is ignored with a warning and the run goes on', async t => {
	const {stateDir, provisionOptions} = await createEnvironment(t);
	await writeFile(checkpointFile(stateDir, '12345678'), '{"accountId": "12345678", "tasks": {"activate": ');
	const {options, warnings} = (() => {
		const created = provisionOptions('12345678');
		return {options: created.options, warnings: created.recording.warnings};
	})();
	const report = await provisionAccount(options);
	assert.equal(report.ok, true);
	assert.equal(report.resumed, false);
	assert.equal(warnings().length, 1);
	assert.match(warnings()[0]!, /Ignoring the provisioning checkpoint/);
	const rewritten = JSON.parse(await readFile(checkpointFile(stateDir, '12345678'), 'utf8')) as {tasks: Record<string, unknown>};
	assert.equal(Object.keys(rewritten.tasks).length, 4);
});

test('--functions-version overrides what CSDS says', async t => {
	const {sandbox, provisionOptions} = await createEnvironment(t);
	// 11223344 is V1; forced to V2 the tasks are V2's and the V1 platform answers their calls with 404.
	const report = await provisionAccount({...provisionOptions('11223344').options, versionOverride: 2});
	assert.equal(report.version, 2);
	assert.deepEqual(report.tasks.map(task => task.id), v2Tasks);
	assert.equal(report.ok, false);
	assert.deepEqual(mutations(sandbox.requests()).filter(entry => entry.path.endsWith('/feature')), []);
});
