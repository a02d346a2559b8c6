import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseCommandLine} from '../../source/cli/args.js';
import {configPaths} from '../../source/config/paths.js';
import {createConfigStore} from '../../source/config/config-store.js';
import type {Factory} from '../../source/factory.js';
import {createLivePersonApi, type LivePersonClient} from '../../source/liveperson/api.js';
import {createPrompter} from '../../source/prompts/prompter-stack.js';
import type {PromptId} from '../../source/prompts/prompter.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/server.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import {createRecordingUi} from '../wizard/helpers/recording-ui.js';
import {createScriptedPrompter, type Answer} from '../wizard/helpers/scripted-prompter.js';
import {quickClock} from '../wizard/helpers/wizard-fixture.js';

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
		screen: ReturnType<typeof createRecordingUi>;
		printed: string[];
		asked: PromptId[];
	};
	close(): Promise<void>;
};

export async function createCommandWorld(): Promise<CommandWorld> {
	const sandbox = await startSandbox({infrastructureMs: 0});
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-command-'));
	const secrets = createMemoryStore();
	const clients: LivePersonClient[] = [];
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
			const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock: quickClock});
			clients.push(api);
			const f: Factory = {
				flags,
				env: fullEnv,
				interactive: Boolean(terminal),
				stdoutIsTerminal: false,
				paths,
				config,
				clock: quickClock,
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
		async close() {
			await Promise.all(clients.map(async client => client.close()));
			await sandbox.close();
			await rm(directory, {recursive: true, force: true});
		},
	};
}
