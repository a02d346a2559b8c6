import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HttpError} from '../../source/errors.js';
import {appKeyLimitCode} from '../../source/liveperson/functions.js';
import {createFunctionsWatcher, createProvisioningTasks, privilegeRows, secretPrivileges} from '../../source/provisioning/tasks.js';
import type {AllowedDomain, FunctionsContext, FunctionsProbe, LivePersonApi} from '../../source/liveperson/types.js';
import {createTaskRunner, type RunnerEvent} from '../../source/tasks/task-runner.js';
import {createTestClock} from '../support/clock.js';

const session = {
	accountId: '12345678', bearer: 'b', csrf: 'c', sessionId: 's', userId: '1', loginName: 'admin', isAdmin: true, expiresAt: 0,
};

const unused = async () => {
	throw new Error('not used by this test');
};

/** A Functions platform whose list call answers the given probes in order (then the last one), and an allowlist. */
function fakeApi(probes: FunctionsProbe[], listed: string[] = []) {
	const posted: string[] = [];
	let index = 0;
	const api: LivePersonApi = {
		domains: unused,
		domain: unused,
		login: unused,
		token: unused,
		refresh: unused,
		logout: unused,
		listUsers: unused,
		createUser: unused,
		allowUserKey: unused,
		listProfiles: unused,
		listAgentGroups: unused,
		async probeFunctions() {
			return probes[Math.min(index++, probes.length - 1)]!;
		},
		async allowDomain(_context, domain): Promise<AllowedDomain> {
			posted.push(domain);
			if (listed.includes(domain)) {
				return {added: false, domain, status: 400, code: 'duplicate', duplicate: true};
			}

			listed.push(domain);
			return {added: true, domain, id: listed.length};
		},
	};
	return {api, posted, listed};
}

const notYet: FunctionsProbe = {answering: false, status: 404};
const answers: FunctionsProbe = {answering: true, status: 200, functions: 0};
// CSDS spells the services its own way (faasGW, msdkgw); the doc's casing must still find them.
const domains = Object.fromEntries(['faasGW', 'msgHist', 'agentVep', 'accountConfigReadOnly', 'accountConfigReadWrite', 'asyncMessaging', 'asyncMessagingEnt',
	'engHistDomain', 'rtbf', 'smt', 'pusher', 'leDataReporting', 'msgEwtAPI', 'msdkgw', 'swift', 'faasUI'].map(service => [service, `va.${service.toLowerCase()}.example.test`]));

async function run(version: 1 | 2, probes: FunctionsProbe[], {listed = [] as string[], budgetMs = 600_000} = {}) {
	const {api, posted} = fakeApi(probes, listed);
	const clock = createTestClock({start: Date.UTC(2025, 0, 1)});
	const context: FunctionsContext = {session, domains, version};
	const signal = new AbortController().signal;
	const watcher = createFunctionsWatcher({api, context, clock, signal, first: probes[0]!, watch: {pollMs: 5000, budgetMs}});
	const runner = createTaskRunner(createProvisioningTasks({api, context, domains, watcher}), {clock, signal});
	const events: RunnerEvent[] = [];
	runner.onEvent(event => events.push(event));
	const snapshot = await runner.run();
	return {snapshot, events, posted, slept: clock.sleeps};
}

test('V1: once Functions answers, every missing default domain is added, faasGW\'s host included; what is listed is refused', async () => {
	const {snapshot, posted} = await run(1, [notYet, notYet, answers], {listed: ['va.agentvep.example.test']});
	assert.deepEqual(snapshot.tasks.map(task => [task.id, task.status]), [['activate', 'done'], ['secrets', 'done'], ['allowlist', 'done']]);
	assert.equal(posted.length, 15);
	assert.ok(posted.includes('va.faasgw.example.test'));
	assert.ok(posted.includes('va.msdkgw.example.test'));
	assert.equal(snapshot.tasks[2]!.detail, '14 added, 1 already listed');
});

test('V1 on a fresh account: the 15 domains provisioning added read as already listed; a genuine refusal stays a refusal', async () => {
	const {api} = fakeApi([answers]);
	const every = Object.values(domains);
	const clock = createTestClock({start: Date.UTC(2025, 0, 1)});
	const context: FunctionsContext = {session, domains, version: 1};
	const signal = new AbortController().signal;
	const allowlist = async (answer: (domain: string) => AllowedDomain) => {
		const answering: LivePersonApi = {...api, allowDomain: async (_context, domain) => answer(domain)};
		const watcher = createFunctionsWatcher({api: answering, context, clock, signal, first: answers});
		const snapshot = await createTaskRunner(createProvisioningTasks({api: answering, context, domains, watcher}), {clock, signal}).run();
		return snapshot.tasks.find(task => task.id === 'allowlist')!;
	};

	const fresh = await allowlist(domain => ({added: false, domain, status: 400, code: 'com.liveperson.faas.sandbox.duplicate-domain', duplicate: true}));
	assert.equal(fresh.status, 'skipped', 'every domain already listed: already done');
	assert.equal(fresh.detail, '15 already listed (LivePerson added them at provisioning)');
	const forbidden = await allowlist(domain => domain === every[0]
		? {added: false, domain, status: 403, code: 'com.liveperson.faas.forbidden', duplicate: false}
		: {added: false, domain, status: 400, duplicate: true});
	assert.equal(forbidden.detail, `14 already listed (LivePerson added them at provisioning), 1 refused with 403 com.liveperson.faas.forbidden (${every[0]})`);
});

test('V2: the four bars move against the 10-minute budget while the list call does not answer, and end done', async () => {
	const {snapshot, events, posted} = await run(2, [notYet, notYet, notYet, answers]);
	assert.deepEqual(snapshot.tasks.map(task => [task.id, task.status]), [['activate', 'done'], ['infrastructure', 'done'], ['secret', 'done'], ['store', 'done']]);
	const progress = events.flatMap(event => event.type === 'progress' && event.id === 'infrastructure' ? [event.progress] : []);
	assert.ok(progress.some(value => value > 0 && value < 0.1), `moves by elapsed / 10 min: ${progress.join(', ')}`);
	assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'never goes back');
	assert.deepEqual(posted, [], 'V2 has no allowlist call');
});

test('the budget ends the wait with an error; the allowlist is then blocked', async () => {
	const {snapshot, slept} = await run(1, [notYet], {budgetMs: 20_000});
	assert.equal(snapshot.tasks[0]!.status, 'failed');
	assert.match(snapshot.tasks[0]!.error!.message, /did not answer/);
	assert.equal(snapshot.tasks[2]!.status, 'blocked');
	assert.ok(slept.reduce((sum, ms) => sum + ms, 0) <= 20_000);
});

test('the app-key limit in an answer stops the wait with the fix', async () => {
	const {snapshot} = await run(1, [notYet, {answering: false, status: 400, code: appKeyLimitCode}]);
	assert.match(snapshot.tasks[0]!.error!.message, /maximum number of API keys/);
});

test('a transient error fails the allowlist at once: the HTTP client is the one retry layer, tasks do not retry', async () => {
	const {api} = fakeApi([answers]);
	let posts = 0;
	const failing: LivePersonApi = {...api, async allowDomain() {
		posts++;
		throw new HttpError('LivePerson answered 503', 503);
	}};
	const clock = createTestClock({start: Date.UTC(2025, 0, 1)});
	const context: FunctionsContext = {session, domains, version: 1};
	const signal = new AbortController().signal;
	const watcher = createFunctionsWatcher({api: failing, context, clock, signal, first: answers});
	const snapshot = await createTaskRunner(createProvisioningTasks({api: failing, context, domains, watcher}), {clock, signal}).run();
	const allowlist = snapshot.tasks.find(task => task.id === 'allowlist');
	assert.equal(allowlist?.status, 'failed');
	assert.equal(allowlist?.attempts, 1);
	assert.equal(posts, 1);
	assert.deepEqual(clock.sleeps, []);
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
