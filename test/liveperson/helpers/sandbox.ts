import {createLivePersonApi, type LivePersonApiOptions, type LivePersonClient} from '../../../source/liveperson/api.js';
import {type Sandbox, type SandboxOptions, startSandbox} from '../../../source/sandbox/server.js';
import {createRecordingClock} from './clock.js';

export type SandboxFixture = {
	readonly sandbox: Sandbox;
	readonly api: LivePersonClient;
	readonly sleeps: number[];
	close(): Promise<void>;
};

/** A fresh sandbox and a client that reaches it over real HTTP, with sandbox host resolution and a recording clock. */
export async function withSandbox(options: Partial<LivePersonApiOptions> = {}, sandboxOptions: SandboxOptions = {}): Promise<SandboxFixture> {
	const sandbox = await startSandbox(sandboxOptions);
	const {clock, sleeps} = createRecordingClock();
	const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock, ...options});
	return {
		sandbox,
		api,
		sleeps,
		async close() {
			await api.close();
			await sandbox.close();
		},
	};
}
