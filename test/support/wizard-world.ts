import {join} from 'node:path';
import {createConfigStore, type ConfigStore} from '../../source/config/config-store.js';
import type {OAuth1Key} from '../../source/liveperson/credentials.js';
import type {LivePersonApiOptions} from '../../source/liveperson/api.js';
import type {PromptId} from '../../source/prompts/prompter.js';
import {createPrompter} from '../../source/prompts/prompter-stack.js';
import {provisionAccount} from '../../source/provisioning/provision.js';
import type {DemoAccountId} from '../../source/sandbox/seed.js';
import {createMemoryStore} from '../../source/secrets/memory-store.js';
import type {ListableSecretStore} from '../../source/secrets/secret-store.js';
import type {Dependencies} from '../../source/wizard/types.js';
import {createRecordingUi, type RecordingUi} from './recording-ui.js';
import {createScriptedPrompter, type Answer, type ScriptedPrompterOptions} from './scripted-prompter.js';
import {createSandboxWorld, type SandboxWorld} from './world.js';

export type Script = Partial<Record<PromptId, Answer | readonly Answer[]>>;

export type WizardWorld = SandboxWorld & {
	readonly config: ConfigStore;
	readonly configFile: string;
	readonly secrets: ListableSecretStore;
	readonly stateDir: string;
	/** Dependencies for one run: a fresh scripted prompter and recording Ui each time, the same sandbox, config and secrets. */
	run(script: Script, options?: ScriptedPrompterOptions & {interactive?: boolean; overrides?: Partial<Dependencies>}): {
		deps: Dependencies;
		prompts: ReturnType<typeof createScriptedPrompter>;
		screen: RecordingUi;
		opened: string[];
	};
	/** Every answer a first run on a seeded account asks for: its API key, the admin's login, a default bot, Functions accepted. */
	firstRun(accountId: DemoAccountId): Script;
	/** CSDS requests the sandbox has answered so far. */
	csdsCalls(): number;
};

/** The four prompts of an API key, answered with `key`. */
export const keyAnswers = (key: OAuth1Key) => ({
	'auth-method': 'oauth1',
	'app-key': key.appKey,
	'app-secret': key.appSecret,
	'access-token': key.accessToken,
	'access-token-secret': key.accessTokenSecret,
});

/**
The sandbox world (a sandbox kept in a state file, so a test can restart it) plus the wizard's config file and an in-memory
stand-in for the keychain, or the store `secrets` makes in the world's directory.
*/
export async function createWizardWorld(options: {
	readonly secrets?: (directory: string) => ListableSecretStore;
	readonly client?: Partial<LivePersonApiOptions>;
	readonly test?: {after(fn: () => Promise<void>): void};
} = {}): Promise<WizardWorld> {
	const world = await createSandboxWorld({persist: true, sandbox: {infrastructureMs: 0}, client: options.client, ...(options.test ? {test: options.test} : {})});
	const configFile = join(world.directory, 'config', 'config.json');
	const config = createConfigStore(configFile);
	// Stands in for the keychain: kept across the runs of one test, as the keychain is across processes. (A store of kind
	// `memory` is the user's "Nowhere": nothing kept, which the wizard says.)
	const secrets: ListableSecretStore = options.secrets?.(world.directory) ?? {...createMemoryStore(), kind: 'keychain'};
	const stateDir = join(world.directory, 'state');
	return {
		get sandbox() {
			return world.sandbox;
		},
		api: world.api,
		clock: world.clock,
		directory: world.directory,
		client: world.client,
		restartSandbox: world.restartSandbox,
		close: world.close,
		config,
		configFile,
		secrets,
		stateDir,
		run(script, runOptions = {}) {
			const interactive = runOptions.interactive ?? runOptions.mode !== 'no-terminal';
			const prompts = createScriptedPrompter(script, runOptions);
			const screen = createRecordingUi();
			const opened: string[] = [];
			const deps: Dependencies = {
				prompter: prompts.prompter,
				ui: screen.ui,
				secrets,
				api: world.api,
				config,
				clock: world.clock,
				signal: new AbortController().signal,
				async openUrl(url) {
					opened.push(url);
					return false;
				},
				profile: 'default',
				interactive,
				provision: provisionAccount,
				stateDir,
				invocation: 'lp-onboard',
				// As with --sandbox: the sandbox's stand-in for the Functions UI page.
				functionsUi: {url: accountId => world.sandbox.functionsUiUrl(accountId), accept: async accountId => world.sandbox.acceptFunctionsUi(accountId)},
				...runOptions.overrides,
			};
			return {deps, prompts, screen, opened};
		},
		firstRun(accountId) {
			const {apiKey, admin} = world.sandbox.demo.accounts[accountId];
			return {
				'account-id': accountId,
				...keyAnswers(apiKey),
				'login-method': 'api-key',
				'bot-login-name': '',
				'confirm-provision': true,
				username: admin.loginName,
				password: admin.password,
				'functions-ui': 'accept',
			};
		},
		csdsCalls: () => world.sandbox.requests().filter(request => request.path.includes('/baseURI')).length,
	};
}

/**
The wizard's dependencies with answers given as flags, composed exactly as the CLI composes them (`createPrompter`): each
flag answer is used once, then the scripted terminal is asked.
*/
export function withAnswers(deps: Dependencies, given: {accountId?: string; botName?: string; loginMethod?: 'api-key' | 'password'; username?: string}): Dependencies {
	const answers = {'account-id': given.accountId, 'bot-login-name': given.botName, 'login-method': given.loginMethod, username: given.username};
	return {...deps, prompter: createPrompter({answers, env: {}, terminal: deps.prompter})};
}
