import {join} from 'node:path';
import {parseCommandLine} from '../../source/cli/args.js';
import {createFactory, type Factory} from '../../source/factory.js';
import type {PromptId} from '../../source/prompts/prompter.js';
import type {Sandbox} from '../../source/sandbox/server.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {type CapturedIoOptions, createCapturedIo} from './io.js';
import {createRecordingUi, type RecordingUi} from './recording-ui.js';
import {createScriptedPrompter, type Answer} from './scripted-prompter.js';
import {createSandboxWorld} from './world.js';

export type CommandWorld = {
	readonly sandbox: Sandbox;
	readonly directory: string;
	readonly secrets: ReturnType<typeof createMemoryStore>;
	/**
	A factory for one in-process command run, built by the real `createFactory` with fakes in place of its ports: `argv`
	parsed by the real parser, the real sandbox over HTTP, a recording UI, a scripted terminal (omit `script` for no
	terminal), memory secrets, and the I/O double collecting stdout (`printed`).
	*/
	factory(argv: readonly string[], options?: {env?: Record<string, string>; script?: Partial<Record<PromptId, Answer | readonly Answer[]>>; io?: CapturedIoOptions}): {
		f: Factory;
		screen: RecordingUi;
		printed: string[];
		/** What the command wrote on stderr itself (--verbose), beside the recording UI. */
		errors: string[];
		asked: PromptId[];
	};
	close(): Promise<void>;
};

export async function createCommandWorld(): Promise<CommandWorld> {
	const world = await createSandboxWorld({sandbox: {infrastructureMs: 0}});
	const {sandbox, directory, clock} = world;
	const secrets = createMemoryStore();
	return {
		sandbox,
		directory,
		secrets,
		factory(argv, {env = {}, script, io} = {}) {
			const {flags} = parseCommandLine(argv, env);
			const fullEnv = {XDG_CONFIG_HOME: join(directory, 'config'), XDG_STATE_HOME: join(directory, 'state'), ...env};
			const screen = createRecordingUi();
			const terminal = script ? createScriptedPrompter(script) : undefined;
			const captured = createCapturedIo({canPrompt: Boolean(terminal), ...io});
			const api = world.client();
			const f = createFactory({
				flags,
				env: fullEnv,
				io: captured.io,
				signal: new AbortController().signal,
				homedir: directory,
				platform: process.platform,
				invocation: 'lp-onboard',
				nodeVersion: process.version,
				nodePath: process.execPath,
				clock,
				openUrl: async () => false,
				interrupt() {},
			}, {
				ui: async () => screen.ui,
				terminal: terminal?.prompter,
				secrets: async () => secrets,
				sandbox: async () => sandbox,
				csdsUrl: async () => sandbox.url,
				network: async () => ({csdsUrl: sandbox.url, local: true, proxy: undefined, timeoutMs: undefined}),
				api: async () => api,
			});
			return {f, screen, printed: captured.out, errors: captured.err, asked: terminal?.asked ?? []};
		},
		close: world.close,
	};
}
