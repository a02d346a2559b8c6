import type {ProvisionAccountOptions} from '../../source/provisioning/provision.js';
import type {Sandbox, SandboxRequestLogEntry} from '../../source/sandbox/server.js';
import type {RunnerEvent} from '../../source/tasks/task-runner.js';
import {createTestClock} from './clock.js';
import {createRecordingUi} from './recording-ui.js';
import {createSandboxWorld} from './world.js';

export type ProvisionWorldOptions = {
	/** How long the sandbox's V2 infrastructure takes, in real time. @default 40 */
	readonly infrastructureMs?: number;
	/** The client's per-try timeout (the latency and hang faults wait for it). @default 5000 */
	readonly timeoutMs?: number;
	readonly guide?: ProvisionAccountOptions['guide'];
	/** A node:test context: the world closes after the test. Without it, call `close()`. */
	readonly test?: {after(fn: () => Promise<void>): void};
};

/**
The sandbox world for provisioning: real time, but every wait is at most 5 ms (backoffs, Retry-After floors and infrastructure
polls stay fast), and `provisionOptions` for an admin run with `--yes`.
*/
export async function createProvisionWorld(options: ProvisionWorldOptions = {}) {
	const world = await createSandboxWorld({
		sandbox: {infrastructureMs: options.infrastructureMs ?? 40},
		clock: createTestClock({realMs: 5}),
		client: {timeoutMs: options.timeoutMs ?? 5000},
		...(options.test ? {test: options.test} : {}),
	});
	const stateDir = world.directory;

	/** Options for `provisionAccount` as an admin with `--yes`; a recording Ui per call. */
	const provisionOptions = (accountId: string, extra: {signal?: AbortSignal; onEvent?: (event: RunnerEvent) => void} = {}) => {
		const recording = createRecordingUi(extra.onEvent ? {onEvent: extra.onEvent} : {});
		const provision: ProvisionAccountOptions = {
			api: world.api,
			ui: recording.ui,
			accountId,
			login: {username: 'admin', password: 'sandbox-admin-pass'},
			yes: true,
			async confirm() {
				throw new Error('confirm() must not be called with yes');
			},
			signal: extra.signal ?? new AbortController().signal,
			clock: world.clock,
			stateDir,
			watch: {pollMs: 5, budgetMs: 5000},
			...(options.guide ? {guide: options.guide} : {}),
		};
		return {options: provision, recording};
	};

	return {sandbox: world.sandbox, api: world.api, stateDir, provisionOptions, close: world.close};
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
