import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HttpError} from '../../source/errors.js';
import {createProvisioningTasks, isPending, privilegeRows, secretPrivileges} from '../../source/provisioning/tasks.js';
import type {FunctionsContext, InfrastructureState, LivePersonApi} from '../../source/liveperson/types.js';
import {createTaskRunner, type RunnerEvent} from '../../source/tasks/task-runner.js';
import {createFakeClock} from './helpers/fake-clock.js';

const session = {
	accountId: '87654321', bearer: 'b', csrf: 'c', sessionId: 's', userId: '1', loginName: 'admin', isAdmin: true, expiresAt: 0,
};

function v2Context(): FunctionsContext {
	return {session, domains: {faasUI: 'va.faasui.example.test'}, version: 2};
}

const unused = async () => {
	throw new Error('not used by this test');
};

/** A V2 platform whose infrastructure answers the given states in order, then stays on the last one. */
function fakeV2Api(states: InfrastructureState[]) {
	const calls: string[] = [];
	let index = -1;
	let started = false;
	const api: LivePersonApi = {
		domains: unused,
		domain: unused,
		login: unused,
		refresh: unused,
		logout: unused,
		listUsers: unused,
		createUser: unused,
		async getFeature() {
			calls.push('getFeature');
			return {active: false};
		},
		async activateFeature() {
			calls.push('activateFeature');
		},
		async getSystemSecret() {
			calls.push('getSystemSecret');
			return undefined;
		},
		async createSystemSecret() {
			calls.push('createSystemSecret');
			return {key: 'LIVEPERSON_DEFAULT_APP_KEY', privileges: [], createdAt: ''};
		},
		listAllowedDomains: unused,
		allowDomain: unused,
		async getInfrastructure() {
			calls.push('getInfrastructure');
			if (!started) {
				return {state: 'none', progress: 0};
			}

			index = Math.min(index + 1, states.length - 1);
			return states[index]!;
		},
		async startInfrastructure() {
			calls.push('startInfrastructure');
			started = true;
			return {state: 'running', progress: 0};
		},
	};
	return {api, calls};
}

async function runV2(states: InfrastructureState[], infrastructure = {}) {
	const {api, calls} = fakeV2Api(states);
	const {clock, slept} = createFakeClock();
	const tasks = createProvisioningTasks({api, context: v2Context(), domains: v2Context().domains, clock, infrastructure, retry: {attempts: 1}});
	const runner = createTaskRunner(tasks, {clock});
	const events: RunnerEvent[] = [];
	runner.onEvent(event => events.push(event));
	const snapshot = await runner.run();
	return {snapshot, events, calls, slept};
}

test('V2 tasks wait for the infrastructure, then install the secret, then activate', async () => {
	const {snapshot, events, calls, slept} = await runV2([
		{state: 'running', progress: 20},
		{state: 'running', progress: 60},
		{state: 'done', progress: 100},
	]);
	assert.deepEqual(snapshot.tasks.map(task => [task.id, task.status]), [
		['infrastructure', 'done'],
		['secret:LIVEPERSON_DEFAULT_APP_KEY', 'done'],
		['activate', 'done'],
	]);
	assert.deepEqual(calls.filter(call => call !== 'getInfrastructure'), [
		'startInfrastructure', 'getSystemSecret', 'createSystemSecret', 'getFeature', 'activateFeature',
	]);
	const progress = events.flatMap(event => event.type === 'progress' && event.id === 'infrastructure' ? [event.progress] : []);
	assert.deepEqual(progress, [0, 0.2, 0.6, 1]);
	// Backoff: each wait twice the last.
	assert.deepEqual(slept, [1000, 2000, 4000]);
});

test('a failed V2 infrastructure fails the task with a hint and blocks the rest', async () => {
	const {snapshot, calls} = await runV2([{state: 'running', progress: 40}, {state: 'failed', progress: 40}]);
	const [infrastructure, secret, activate] = snapshot.tasks;
	assert.equal(infrastructure?.status, 'failed');
	assert.match(infrastructure?.error?.message ?? '', /could not provision the Functions infrastructure/);
	assert.match(infrastructure?.error?.hint ?? '', /run the same command again/i);
	assert.equal(secret?.status, 'blocked');
	assert.equal(activate?.status, 'blocked');
	assert.ok(!calls.includes('createSystemSecret'));
	assert.ok(!calls.includes('activateFeature'));
});

test('a V2 infrastructure that never finishes times out after the configured time', async () => {
	const {snapshot, slept} = await runV2([{state: 'running', progress: 10}], {timeoutMs: 60_000, firstDelayMs: 5000, maxDelayMs: 20_000});
	const infrastructure = snapshot.tasks[0];
	assert.equal(infrastructure?.status, 'failed');
	assert.match(infrastructure?.error?.message ?? '', /still being provisioned/);
	assert.ok(infrastructure?.error?.hint);
	assert.ok(slept.every(ms => ms <= 20_000));
	assert.ok(slept.reduce((sum, ms) => sum + ms, 0) <= 60_000);
});

test('only V2 "pending" is tried again by the task: the HTTP layer already retried 5xx, 429 and dropped connections', () => {
	const table: Array<[unknown, boolean]> = [
		[new HttpError('server', 500), false],
		[new HttpError('gateway', 503), false],
		[new HttpError('slow down', 429), false],
		[new HttpError('reset', undefined), false],
		[new HttpError('pending', 409, {code: 'com.liveperson.faas.self-service.pending'}), true],
		[new HttpError('duplicate', 409), false],
		[new HttpError('bad', 400), false],
		[new HttpError('who', 401), false],
		[new HttpError('no', 403, {code: 'com.liveperson.faas.forbidden'}), false],
		[new HttpError('gone', 404), false],
		[new Error('bug'), false],
	];
	for (const [error, expected] of table) {
		assert.equal(isPending(error), expected, (error as Error).message);
	}
});

test('the documented privileges of each default secret', () => {
	assert.deepEqual(secretPrivileges['lp-faas-orchestrator-app-key'], ['Functions API: Invoke']);
	assert.equal(secretPrivileges['lp-faas-default-app-key'].length, 18);
	assert.deepEqual(secretPrivileges.LIVEPERSON_DEFAULT_APP_KEY, [...secretPrivileges['lp-faas-default-app-key'], 'Functions API: Invoke']);
});

test('privilege rows list each secret a version installs', () => {
	assert.equal(privilegeRows(1).length, 19);
	assert.deepEqual(privilegeRows(1).at(-1), ['lp-faas-orchestrator-app-key', 'Functions API: Invoke']);
	assert.deepEqual(new Set(privilegeRows(2).map(([name]) => name)), new Set(['LIVEPERSON_DEFAULT_APP_KEY']));
	assert.equal(privilegeRows(2).length, 19);
});
