import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {systemClock, type Clock} from '../../../source/clock.js';
import {createLivePersonApi} from '../../../source/liveperson/api.js';
import type {ProvisionAccountOptions} from '../../../source/provisioning/provision.js';
import {startSandbox, type Sandbox, type SandboxRequestLogEntry} from '../../../source/sandbox/server.js';
import type {RunnerEvent} from '../../../source/tasks/task-runner.js';
import {createRecordingUi} from './recording-ui.js';

/** Real time, but every wait is at most 5 ms: backoffs, Retry-After floors and infrastructure polls stay fast. */
export const quickClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => systemClock.sleep(Math.min(ms, 5), signal),
	nonce: () => systemClock.nonce(),
};

export type TestContext = {after(fn: () => Promise<void>): void};

export async function createEnvironment(t: TestContext, options: {infrastructureMs?: number} = {}) {
	const sandbox = await startSandbox({infrastructureMs: options.infrastructureMs ?? 40});
	// The client's retry pauses, as asked for (each slept for at most 5 ms).
	const pauses: number[] = [];
	const apiClock: Clock = {...quickClock, async sleep(ms, signal) {
		pauses.push(ms);
		await quickClock.sleep(ms, signal);
	}};
	const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, timeoutMs: 5000, clock: apiClock});
	const stateDir = await mkdtemp(join(tmpdir(), 'lp-provision-'));
	t.after(async () => {
		await api.close();
		await sandbox.close();
		await rm(stateDir, {recursive: true, force: true});
	});

	/** Options for `provisionAccount` as an admin with `--yes`; a recording Ui per call. */
	const provisionOptions = (accountId: string, extra: {signal?: AbortSignal; onEvent?: (event: RunnerEvent) => void} = {}) => {
		const recording = createRecordingUi(extra.onEvent ? {onEvent: extra.onEvent} : {});
		const options: ProvisionAccountOptions = {
			api,
			ui: recording.ui,
			accountId,
			login: {username: 'admin', password: 'sandbox-admin-pass'},
			yes: true,
			async confirm() {
				throw new Error('confirm() must not be called with yes');
			},
			signal: extra.signal ?? new AbortController().signal,
			clock: quickClock,
			stateDir,
			watch: {pollMs: 5, budgetMs: 5000},
		};
		return {options, recording};
	};

	return {sandbox, api, stateDir, pauses, provisionOptions};
}

/** Submits the sandbox's Functions UI form over HTTP, as the admin's browser would. */
export async function submitFunctionsUi(sandbox: Sandbox, accountId: string): Promise<string> {
	const response = await fetch(sandbox.functionsUiUrl(accountId), {method: 'POST', body: ''});
	if (response.status !== 200) {
		throw new Error(`The Functions UI form answered ${response.status}.`);
	}

	return response.text();
}

/** Requests that change Functions state (anything but reads and Login Service session calls). */
export function mutations(entries: readonly SandboxRequestLogEntry[]): SandboxRequestLogEntry[] {
	return entries.filter(entry => entry.method !== 'GET' && !/\/(login|logout|refresh)$/.test(entry.path));
}

/** The provisioning-relevant part of an account's state, comparable across sandboxes. */
export function functionsState(sandbox: Sandbox, accountId: string) {
	const state = sandbox.state(accountId);
	return {
		feature: state.feature,
		systemSecrets: [...state.systemSecrets].sort(),
		allowlist: state.allowlist,
		infrastructure: state.infrastructure.state,
		users: state.users,
		apiKeys: state.apiKeys,
	};
}
