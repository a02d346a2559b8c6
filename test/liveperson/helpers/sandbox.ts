import {createLivePersonApi, type LivePersonApiOptions, type LivePersonClient} from '../../../source/liveperson/api.js';
import {type Sandbox, type SandboxOptions, startSandbox} from '../../../source/sandbox/server.js';
import {createRecordingClock} from './clock.js';

export type SandboxFixture = {
	readonly sandbox: Sandbox;
	readonly api: LivePersonClient;
	readonly sleeps: number[];
	/** Another client of the same sandbox (e.g. with a short timeout for a hang fault), closed with the fixture. */
	client(options: Partial<LivePersonApiOptions>): LivePersonClient;
	close(): Promise<void>;
};

/** A fresh sandbox and a client that reaches it over real HTTP, with sandbox host resolution and a recording clock. */
export async function withSandbox(options: Partial<LivePersonApiOptions> = {}, sandboxOptions: SandboxOptions = {}): Promise<SandboxFixture> {
	const sandbox = await startSandbox(sandboxOptions);
	const {clock, sleeps} = createRecordingClock();
	const client = (overrides: Partial<LivePersonApiOptions>) => createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock, ...options, ...overrides});
	const clients = [client({})];
	return {
		sandbox,
		api: clients[0]!,
		sleeps,
		client(overrides) {
			const extra = client(overrides);
			clients.push(extra);
			return extra;
		},
		async close() {
			await Promise.all(clients.map(async api => api.close()));
			await sandbox.close();
		},
	};
}
