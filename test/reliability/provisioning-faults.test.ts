/*
Fault matrix, provisioning side: every call provisioning makes to Functions × every fault. Only the HTTP client retries
(LivePerson's policy, liveperson/retry-policy.ts); tasks never do. The V1 allowlist's write (lpf's POST /proxy-settings) is not
idempotent: a 429 is retried, but a 5xx, a reset or no answer may have gone through, so any fault but a 429 that hits once fails
that task only, with a message and a hint, and exit code 7 (a re-run adds what is missing). The list call provisioning watches
(V1 /lambdas, V2 /functions): a fault that hits once is retried; a lasting one ends the run with the client's error. Whatever happened, the checkpoint file is valid JSON that never
calls the failed task done, and a re-run without faults ends in the same sandbox state as a clean run.
*/
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {describe, test, type TestContext} from 'node:test';
import {exitCodes} from '../../source/errors.js';
import {checkpointFile, loadCheckpoint} from '../../source/provisioning/checkpoint.js';
import {provisionAccount, provisionExitCode} from '../../source/provisioning/provision.js';
import type {Fault, Sandbox} from '../../source/sandbox/server.js';
import {createProvisionWorld, functionsState} from '../support/provision-world.js';

type AccountId = '12345678' | '87654321';

type TaskCase = {
	readonly accountId: AccountId;
	readonly version: 1 | 2;
	readonly id: string;
	/** The request the task changes LivePerson with. */
	readonly match: NonNullable<Fault['match']>;
	/** Tasks that need this one (V2 runs in order). */
	readonly dependents: readonly string[];
	/** The call may be repeated after a 5xx, a reset or no answer. */
	readonly idempotent: boolean;
};

const v1 = ['activate', 'secrets', 'allowlist'];
const v2 = ['activate', 'infrastructure', 'secret', 'store'];

const taskCases: TaskCase[] = [
	{accountId: '12345678', version: 1, id: 'allowlist', match: {method: 'POST', path: '/proxy-settings'}, dependents: [], idempotent: false},
	{accountId: '12345678', version: 1, id: 'watch', match: {method: 'GET', path: '/lambdas'}, dependents: [], idempotent: true},
	{accountId: '87654321', version: 2, id: 'watch', match: {method: 'GET', path: '/functions'}, dependents: [], idempotent: true},
];

/** The admin has already accepted in the Functions UI (the test does it through the sandbox): watch, never ask. */
const acceptedGuide = {start: async () => true, confirmDone: async () => false};

type Expected = {
	readonly kind: 'done' | 'failed';
	/** How many times the allowlist's first POST was sent (the sandbox logs a delayed request only once it answers: none for latency). */
	readonly sends?: number;
};

type FaultCase = {
	readonly name: string;
	readonly fault?: Omit<Fault, 'match'>;
	readonly skewMs?: number;
	expect(task: TaskCase): Expected;
};

/** A fault that hits once: retried if the call may be repeated, else the task fails after one send. */
const once = (sends?: number) => (task: TaskCase): Expected => task.idempotent ? {kind: 'done'} : {kind: 'failed', ...(sends === undefined ? {} : {sends})};
/** A lasting 5xx or reset: sent once if the call may have gone through (the watch call is retried, then fails). */
const lasting = (task: TaskCase): Expected => ({kind: 'failed', ...(task.idempotent ? {} : {sends: 1})});
/** A lasting 429: the service did not act, so any call is sent 4 times (LivePerson's policy), then fails. */
const throttled = (task: TaskCase): Expected => ({kind: 'failed', ...(task.idempotent ? {} : {sends: 4})});

const faultCases: FaultCase[] = [
	{name: 'latency beyond the timeout, once', fault: {kind: 'latency', ms: 30_000, times: 1}, expect: once()},
	{name: 'a lasting 500', fault: {kind: 'status', status: 500}, expect: lasting},
	{name: 'a lasting 503', fault: {kind: 'status', status: 503}, expect: lasting},
	{name: 'a lasting 429 with Retry-After', fault: {kind: 'status', status: 429, retryAfter: 1}, expect: throttled},
	{name: 'a lasting 429 without Retry-After', fault: {kind: 'status', status: 429}, expect: throttled},
	{name: 'lasting connection resets', fault: {kind: 'reset'}, expect: lasting},
	{name: 'a hang, once', fault: {kind: 'hang', times: 1}, expect: once(1)},
	{name: 'malformed JSON', fault: {kind: 'malformed'}, expect: task => ({kind: 'failed', ...(task.idempotent ? {} : {sends: 1})})},
	{name: 'a 401 mid-run', fault: {kind: 'status', status: 401}, expect: task => ({kind: 'failed', ...(task.idempotent ? {} : {sends: 1})})},
	{name: 'a skewed server clock', skewMs: 10 * 60_000, expect: () => ({kind: 'done'})},
];

async function environment(t: TestContext) {
	// A short per-try timeout: the latency and hang cells wait for it.
	const world = await createProvisionWorld({test: t, timeoutMs: 1500, guide: acceptedGuide});
	return {sandbox: world.sandbox, stateDir: world.stateDir, options: (accountId: AccountId) => world.provisionOptions(accountId).options};
}

/** The provisioning state of a clean run, from its own sandbox; allowlist order does not matter. */
const cleanStates = new Map<AccountId, Promise<unknown>>();
async function cleanState(accountId: AccountId) {
	const cached = cleanStates.get(accountId) ?? (async () => {
		const world = await createProvisionWorld({guide: acceptedGuide});
		try {
			await world.sandbox.acceptFunctionsUi(accountId);
			const report = await provisionAccount(world.provisionOptions(accountId).options);
			assert.equal(report.ok, true, 'the clean reference run completes');
			return comparable(world.sandbox, accountId);
		} finally {
			await world.close();
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
					sandbox.addFault({...faultCase.fault, match: task.match});
				}

				if (faultCase.skewMs !== undefined) {
					sandbox.setClockSkew(faultCase.skewMs);
				}

				// The admin has accepted in the Functions UI; V2 then takes the sandbox's 40 ms.
				await sandbox.acceptFunctionsUi(task.accountId);
				const taskIds = task.version === 1 ? v1 : v2;
				if (task.id === 'watch' && expected.kind === 'failed') {
					// The list call is provisioning's first look at Functions: a lasting fault there ends the run with the client's error.
					await assert.rejects(provisionAccount(options(task.accountId)), (error: unknown) => {
						assert.ok(error instanceof Error && 'hint' in error && error.hint, 'an error with a hint');
						assert.doesNotMatch(error.message, /sandbox-admin-pass|bearer/i);
						return true;
					});
					assert.equal(sandbox.state(task.accountId).sessions, 0, 'the session is logged out');
				} else {
					const first = await provisionAccount(options(task.accountId));
					const byId = new Map(first.tasks.map(entry => [entry.id, entry]));
					assert.deepEqual([...byId.keys()].sort(), [...taskIds].sort());
					if (expected.kind === 'done') {
						assert.equal(first.ok, true, JSON.stringify(first.tasks.map(entry => [entry.id, entry.status, entry.error?.message])));
						assert.equal(provisionExitCode([first]), exitCodes.ok);
					} else {
						assert.equal(first.ok, false);
						assert.equal(provisionExitCode([first]), exitCodes.partial);
						const failed = byId.get(task.id)!;
						assert.equal(failed.status, 'failed');
						assert.equal(failed.attempts, 1, 'the task runner never tries again');
						if (expected.sends !== undefined) {
							const posts = sandbox.requests().filter(entry => entry.method === 'POST' && entry.path.endsWith('/proxy-settings'));
							assert.equal(posts.length, expected.sends, 'sends of the faulted POST');
						}

						assert.ok(failed.error?.message, 'the failed task says why');
						assert.ok(failed.error?.hint, 'and what to do');
						assert.doesNotMatch(failed.error.message, /sandbox-admin-pass|bearer/i);
						for (const other of taskIds.filter(id => id !== task.id)) {
							assert.notEqual(byId.get(other)!.status, 'failed', other);
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
				}

				sandbox.clearFaults();
				sandbox.setClockSkew(0);
				const second = await provisionAccount(options(task.accountId));
				assert.equal(second.ok, true);
				assert.deepEqual(comparable(sandbox, task.accountId), await cleanState(task.accountId));
				const after = await readCheckpointJson(stateDir, task.accountId);
				assert.ok(Object.values(after.tasks).every(entry => entry.status === 'done' || entry.status === 'skipped'), 'the checkpoint ends all done');
			});
		}
	}
});
