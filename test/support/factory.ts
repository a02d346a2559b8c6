import {join} from 'node:path';
import {parseCommandLine} from '../../source/cli/args.js';
import {configPaths} from '../../source/config/paths.js';
import {createConfigStore} from '../../source/config/config-store.js';
import type {Factory} from '../../source/factory.js';
import {createPrompter} from '../../source/prompts/prompter-stack.js';
import type {PromptId} from '../../source/prompts/prompter.js';
import type {Sandbox} from '../../source/sandbox/server.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {createRecordingUi, type RecordingUi} from './recording-ui.js';
import {createScriptedPrompter, type Answer} from './scripted-prompter.js';
import {createSandboxWorld} from './world.js';

export type CommandWorld = {
	readonly sandbox: Sandbox;
	readonly directory: string;
	readonly secrets: ReturnType<typeof createMemoryStore>;
	/**
	A factory for one in-process command run, as cli.tsx builds it but with fakes: `argv` parsed by the real parser, the
	real sandbox over HTTP, a recording UI, a scripted terminal (omit `script` for no terminal), memory secrets.
	*/
	factory(argv: readonly string[], options?: {env?: Record<string, string>; script?: Partial<Record<PromptId, Answer | readonly Answer[]>>}): {
		f: Factory;
		screen: RecordingUi;
		printed: string[];
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
		factory(argv, {env = {}, script} = {}) {
			const {flags} = parseCommandLine(argv, env);
			const fullEnv = {XDG_CONFIG_HOME: join(directory, 'config'), XDG_STATE_HOME: join(directory, 'state'), ...env};
			const paths = configPaths(fullEnv, directory);
			const config = createConfigStore(paths.configFile);
			const screen = createRecordingUi();
			const printed: string[] = [];
			const terminal = script ? createScriptedPrompter(script) : undefined;
			const controller = new AbortController();
			const api = world.client();
			const f: Factory = {
				flags,
				env: fullEnv,
				interactive: Boolean(terminal),
				stdoutIsTerminal: false,
				stdoutColumns: undefined,
				paths,
				config,
				clock,
				signal: controller.signal,
				invocation: 'lp-onboard',
				nodeVersion: process.version,
				nodePath: process.execPath,
				print(text) {
					printed.push(text);
				},
				ui: async () => screen.ui,
				prompter: async (extra = {}) => createPrompter({
					answers: {'account-id': flags.account, 'bot-login-name': flags.botName, 'login-method': flags.loginMethod, username: flags.username, 'confirm-provision': flags.yes ? 'yes' : undefined},
					env: {...fullEnv, ...extra},
					terminal: terminal?.prompter,
				}),
				secrets: async () => secrets,
				sandbox: async () => sandbox,
				csdsUrl: async () => sandbox.url,
				network: async () => ({csdsUrl: sandbox.url, local: true, proxy: undefined, timeoutMs: undefined}),
				api: async () => api,
				openUrl: async () => false,
				profile: async () => config.profile(flags.profile),
			};
			return {f, screen, printed, asked: terminal?.asked ?? []};
		},
		close: world.close,
	};
}
