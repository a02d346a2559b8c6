import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createLivePersonApi, type LivePersonApiOptions, type LivePersonClient} from '../../source/liveperson/api.js';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/server.js';
import {createTestClock, type TestClock} from './clock.js';

/** The accounts as the sandbox's state file keeps them (users as the Users API stores them). */
export type PersistedSandboxState = {accounts: Array<{accountId: string; users: Array<{loginName: string; [field: string]: unknown}>; [field: string]: unknown}>; [field: string]: unknown};

export type SandboxWorldOptions = {
	readonly sandbox?: Omit<SandboxOptions, 'stateFile' | 'port'>;
	/** Keep the sandbox's state in a file in `directory`, so `restartSandbox` can change it between runs. */
	readonly persist?: boolean;
	/** For every client of the world; `csdsUrl`, `resolveSandboxHosts` and `clock` are set already. */
	readonly client?: Partial<LivePersonApiOptions>;
	/** @default a quick clock on real time (see `createTestClock`) */
	readonly clock?: TestClock;
	/** A node:test context: the world closes after the test. Without it, call `close()`. */
	readonly test?: {after(fn: () => Promise<void>): void};
};

export type SandboxWorld = {
	/** The current sandbox: `restartSandbox` replaces it with one on the same port and state file. */
	readonly sandbox: Sandbox;
	/** The real client, reaching the sandbox over real HTTP. */
	readonly api: LivePersonClient;
	readonly clock: TestClock;
	/** A fresh temp directory, removed on close. */
	readonly directory: string;
	/** Another client of the same sandbox (e.g. with a short timeout for a hang fault), closed with the world. */
	client(overrides?: Partial<LivePersonApiOptions>): LivePersonClient;
	/** Stops the sandbox, lets `edit` change its state file (what LivePerson would have lost or changed), and starts it again. */
	restartSandbox(edit: (state: PersistedSandboxState) => void): Promise<void>;
	close(): Promise<void>;
};

/** The one test setup for code that talks to LivePerson: a real sandbox, the real client, a fake clock and a temp directory. */
export async function createSandboxWorld(options: SandboxWorldOptions = {}): Promise<SandboxWorld> {
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-test-'));
	const stateFile = options.persist ? join(directory, 'sandbox-state.json') : undefined;
	let sandbox = await startSandbox({...options.sandbox, ...(stateFile ? {stateFile} : {})});
	const clock = options.clock ?? createTestClock();
	const clients: LivePersonClient[] = [];
	const client = (overrides: Partial<LivePersonApiOptions> = {}) => {
		const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock, ...options.client, ...overrides});
		clients.push(api);
		return api;
	};

	const world: SandboxWorld = {
		get sandbox() {
			return sandbox;
		},
		api: client(),
		clock,
		directory,
		client,
		async restartSandbox(edit) {
			if (!stateFile) {
				throw new Error('restartSandbox needs a world created with persist: true');
			}

			const {port} = sandbox;
			await sandbox.close();
			const state = JSON.parse(await readFile(stateFile, 'utf8')) as PersistedSandboxState;
			edit(state);
			await writeFile(stateFile, JSON.stringify(state));
			sandbox = await startSandbox({...options.sandbox, stateFile, port});
		},
		async close() {
			await Promise.all(clients.map(async api => api.close()));
			await sandbox.close();
			await rm(directory, {recursive: true, force: true});
		},
	};
	options.test?.after(async () => world.close());
	return world;
}
