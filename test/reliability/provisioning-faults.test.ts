/*
Fault matrix, provisioning side: every provisioning task × every fault, injected on the task's write to LivePerson. Only the HTTP
layer retries (LivePerson's policy, liveperson/http.ts): a fault that hits once is retried and the run completes, unless the write
is not idempotent and may have gone through; a fault that lasts is sent at most 4 times and fails that task only (V1 tasks are
independent, V2 dependents are blocked), with a message and a hint, and exit code 7. The task runner never tries again. Whatever happened, the checkpoint file is valid JSON that
never calls the failed task done, and a re-run without faults ends in the same sandbox state as a clean run.
*/
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {exitCodes} from '../../source/errors.js';
import {createLivePersonApi} from '../../source/liveperson/api.js';
import {checkpointFile, loadCheckpoint} from '../../source/provisioning/checkpoint.js';
import {provisionAccount, provisionExitCode, type ProvisionAccountOptions} from '../../source/provisioning/provision.js';
import {startSandbox, type Fault, type Sandbox} from '../../source/sandbox/server.js';
import {createRecordingUi} from '../provisioning/helpers/recording-ui.js';
import {functionsState, quickClock} from '../provisioning/helpers/sandbox-setup.js';

type AccountId = '12345678' | '87654321';

type TaskCase = {
	readonly accountId: AccountId;
	readonly version: 1 | 2;
	readonly id: string;
	/** The request the task changes LivePerson with. */
	readonly match: NonNullable<Fault['match']>;
	/** Tasks that need this one (V2 runs in order). */
	readonly dependents: readonly string[];
	/** The write may be repeated after a 5xx, a reset or a timeout. */
	readonly idempotent: boolean;
};

const v1 = ['activate', 'secret:lp-faas-default-app-key', 'secret:lp-faas-orchestrator-app-key', 'allowlist'];
const v2 = ['infrastructure', 'secret:LIVEPERSON_DEFAULT_APP_KEY', 'activate'];

const taskCases: TaskCase[] = [
	{accountId: '12345678', version: 1, id: 'activate', match: {method: 'PUT', path: '/feature'}, dependents: [], idempotent: true},
	{accountId: '12345678', version: 1, id: 'secret:lp-faas-default-app-key', match: {method: 'PUT', path: '/system-secrets/lp-faas-default-app-key'}, dependents: [], idempotent: true},
	{accountId: '12345678', version: 1, id: 'secret:lp-faas-orchestrator-app-key', match: {method: 'PUT', path: '/system-secrets/lp-faas-orchestrator-app-key'}, dependents: [], idempotent: true},
	{accountId: '12345678', version: 1, id: 'allowlist', match: {method: 'POST', path: '/proxy-settings'}, dependents: [], idempotent: false},
	{accountId: '87654321', version: 2, id: 'infrastructure', match: {method: 'POST', path: '/infrastructure'}, dependents: ['secret:LIVEPERSON_DEFAULT_APP_KEY', 'activate'], idempotent: true},
	{accountId: '87654321', version: 2, id: 'secret:LIVEPERSON_DEFAULT_APP_KEY', match: {method: 'PUT', path: '/system-secrets/LIVEPERSON_DEFAULT_APP_KEY'}, dependents: ['activate'], idempotent: true},
	{accountId: '87654321', version: 2, id: 'activate', match: {method: 'PUT', path: '/feature'}, dependents: [], idempotent: true},
];

type FaultCase = {
	readonly name: string;
	readonly fault?: Omit<Fault, 'match'>;
	readonly skewMs?: number;
	/** `done`: the run completes. `failed`: the task fails. Either way, how many times the write was sent (the sandbox logs a delayed request only once it answers, so latency says nothing). */
	expect(task: TaskCase): {readonly kind: 'done' | 'failed'; readonly sends?: number};
};

/** A one-time fault: retried if the write may be repeated. */
const once = (task: TaskCase) => task.idempotent ? {kind: 'done', sends: 2} as const : {kind: 'failed', sends: 1} as const;
/** A lasting 5xx or reset: 4 sends if the write may be repeated, else 1. */
const lasting = (task: TaskCase) => ({kind: 'failed', sends: task.idempotent ? 4 : 1} as const);

const faultCases: FaultCase[] = [
	{name: 'latency beyond the timeout, once', fault: {kind: 'latency', ms: 30_000, times: 1}, expect: task => ({kind: once(task).kind})},
	{name: 'a lasting 500', fault: {kind: 'status', status: 500}, expect: lasting},
	{name: 'a lasting 503', fault: {kind: 'status', status: 503}, expect: lasting},
	{name: 'a lasting 429 with Retry-After', fault: {kind: 'status', status: 429, retryAfter: 1}, expect: () => ({kind: 'failed', sends: 4})},
	{name: 'a lasting 429 without Retry-After', fault: {kind: 'status', status: 429}, expect: () => ({kind: 'failed', sends: 4})},
	{name: 'lasting connection resets', fault: {kind: 'reset'}, expect: lasting},
	{name: 'a hang, once', fault: {kind: 'hang', times: 1}, expect: once},
	{name: 'malformed JSON', fault: {kind: 'malformed'}, expect: () => ({kind: 'failed', sends: 1})},
	{name: 'a 401 mid-run', fault: {kind: 'status', status: 401}, expect: () => ({kind: 'failed', sends: 1})},
	{name: 'a skewed server clock', skewMs: 10 * 60_000, expect: () => ({kind: 'done', sends: 1})},
];

async function environment(t: TestContext) {
	const sandbox = await startSandbox({infrastructureMs: 40});
	// Short per-try timeout (the latency and hang cells wait for it), real retries with pauses of at most 5 ms.
	const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, timeoutMs: 1500, clock: quickClock});
	const stateDir = await mkdtemp(join(tmpdir(), 'lp-reliability-provision-'));
	t.after(async () => {
		await api.close();
		await sandbox.close();
		await rm(stateDir, {recursive: true, force: true});
	});
	const options = (accountId: AccountId) => {
		const recording = createRecordingUi();
		const provision: ProvisionAccountOptions = {
			api,
			ui: recording.ui,
			accountId,
			login: {username: 'admin', password: 'sandbox-admin-pass'},
			yes: true,
			async confirm() {
				throw new Error('confirm() must not be called with yes');
			},
			signal: new AbortController().signal,
			clock: quickClock,
			stateDir,
			infrastructure: {firstDelayMs: 5, maxDelayMs: 5},
		};
		return {provision, recording};
	};

	return {sandbox, stateDir, options};
}

/** The provisioning state of a clean run, from its own sandbox; allowlist order does not matter. */
const cleanStates = new Map<AccountId, Promise<unknown>>();
async function cleanState(accountId: AccountId) {
	const cached = cleanStates.get(accountId) ?? (async () => {
		const sandbox = await startSandbox({infrastructureMs: 40});
		const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock: quickClock});
		const stateDir = await mkdtemp(join(tmpdir(), 'lp-reliability-clean-'));
		try {
			const report = await provisionAccount({
				api, ui: createRecordingUi().ui, accountId, login: {username: 'admin', password: 'sandbox-admin-pass'}, yes: true,
				confirm: async () => true, signal: new AbortController().signal, clock: quickClock, stateDir, infrastructure: {firstDelayMs: 5, maxDelayMs: 5},
			});
			assert.equal(report.ok, true, 'the clean reference run completes');
			return comparable(sandbox, accountId);
		} finally {
			await api.close();
			await sandbox.close();
			await rm(stateDir, {recursive: true, force: true});
		}
	})();
	cleanStates.set(accountId, cached);
	return cached;
}

function comparable(sandbox: Sandbox, accountId: AccountId) {
	const state = functionsState(sandbox, accountId);
	return {...state, allowlist: [...state.allowlist].sort()};
}

async function readCheckpointJson(stateDir: string, accountId: AccountId): Promise<{tasks: Record<string, {status: string; attempts: number}>}> {
	const text = await readFile(checkpointFile(stateDir, accountId), 'utf8');
	return JSON.parse(text) as {tasks: Record<string, {status: string; attempts: number}>};
}

describe('every provisioning task under every fault', {concurrency: 4}, () => {
	for (const task of taskCases) {
		for (const faultCase of faultCases) {
			const expected = faultCase.expect(task);
			const outcome = expected.kind === 'done' ? 'still completes' : 'fails that task alone, keeps a valid checkpoint';
			test(`V${task.version} ${task.id} under ${faultCase.name} ${outcome}, and a clean re-run matches a clean run`, {timeout: 60_000}, async t => {
				const {sandbox, stateDir, options} = await environment(t);
				if (faultCase.fault) {
					sandbox.addFault({...faultCase.fault, match: task.match} as Fault);
				}

				if (faultCase.skewMs !== undefined) {
					sandbox.setClockSkew(faultCase.skewMs);
				}

				const first = await provisionAccount(options(task.accountId).provision);
				const taskIds = task.version === 1 ? v1 : v2;
				const byId = new Map(first.tasks.map(entry => [entry.id, entry]));
				assert.deepEqual([...byId.keys()].sort(), [...taskIds].sort());

				const written = expected.sends === undefined ? [] : sandbox.requests().filter(entry => entry.method === task.match.method && entry.path === `/api/account/${task.accountId}${task.match.path}`);
				// The allowlist sends one POST per domain; only the first meets the fault.
				if (expected.sends !== undefined) {
					assert.equal(task.id === 'allowlist' && expected.kind === 'done' ? written.length - 13 : written.length, expected.sends, 'sends of the faulted write');
				}

				if (expected.kind === 'done') {
					assert.equal(first.ok, true, JSON.stringify(first.tasks.map(entry => [entry.id, entry.status, entry.error?.message])));
					assert.equal(provisionExitCode([first]), exitCodes.ok);
				} else {
					assert.equal(first.ok, false);
					assert.equal(provisionExitCode([first]), exitCodes.partial);
					const failed = byId.get(task.id)!;
					assert.equal(failed.status, 'failed');
					assert.equal(failed.attempts, 1, 'the task runner never tries again');
					assert.ok(failed.error?.message, 'the failed task says why');
					assert.ok(failed.error?.hint, 'and what to do');
					assert.doesNotMatch(failed.error.message, /sandbox-admin-pass|bearer/i);
					for (const other of taskIds.filter(id => id !== task.id)) {
						assert.equal(byId.get(other)!.status, task.dependents.includes(other) ? 'blocked' : 'done', other);
					}
				}

				// The checkpoint is whole JSON that the next run accepts, and never records the failed task as done.
				const warnings: string[] = [];
				assert.ok(await loadCheckpoint(stateDir, task.accountId, message => warnings.push(message)));
				assert.deepEqual(warnings, []);
				const checkpoint = await readCheckpointJson(stateDir, task.accountId);
				for (const entry of first.tasks) {
					assert.equal(checkpoint.tasks[entry.id]?.status, entry.status, `checkpoint of ${entry.id}`);
				}

				sandbox.clearFaults();
				sandbox.setClockSkew(0);
				const second = await provisionAccount(options(task.accountId).provision);
				assert.equal(second.ok, true);
				assert.equal(second.resumed, true);
				for (const entry of second.tasks) {
					const before = byId.get(entry.id)!;
					assert.equal(entry.status, before.status === 'done' ? 'skipped' : 'done', `re-run of ${entry.id}`);
				}

				assert.deepEqual(comparable(sandbox, task.accountId), await cleanState(task.accountId));
				const after = await readCheckpointJson(stateDir, task.accountId);
				assert.ok(Object.values(after.tasks).every(entry => entry.status === 'done'), 'the checkpoint ends all done');
			});
		}
	}
});
