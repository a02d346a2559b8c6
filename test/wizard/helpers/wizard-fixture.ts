import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Clock} from '../../../source/clock.js';
import {createConfigStore, type ConfigStore} from '../../../source/config/config-store.js';
import {createLivePersonApi, type LivePersonClient} from '../../../source/liveperson/api.js';
import type {PromptId} from '../../../source/prompts/prompter.js';
import {createPrompter} from '../../../source/prompts/prompter-stack.js';
import {provisionAccount} from '../../../source/provisioning/provision.js';
import {startSandbox, type Sandbox} from '../../../source/sandbox/server.js';
import {createMemoryStore} from '../../../source/secrets/memory-store.js';
import type {ListableSecretStore} from '../../../source/secrets/secret-store.js';
import type {Dependencies} from '../../../source/wizard/types.js';
import {createRecordingUi} from './recording-ui.js';
import {createScriptedPrompter, type Answer, type ScriptedPrompterOptions} from './scripted-prompter.js';

/** Real time (the sandbox checks OAuth timestamps against it) but retries do not wait. */
export const quickClock: Clock = {
	now: () => Date.now(),
	async sleep(_ms, signal) {
		signal?.throwIfAborted();
		await new Promise<void>(resolve => {
			setImmediate(resolve);
		});
	},
	nonce: () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2),
};

/** The accounts as the sandbox's state file keeps them (users as the Users API stores them). */
export type PersistedSandboxState = {accounts: Array<{accountId: string; users: Array<{loginName: string; [field: string]: unknown}>; [field: string]: unknown}>; [field: string]: unknown};

export type WizardWorld = {
	/** The current sandbox: `restartSandbox` replaces it with one on the same port and state file. */
	readonly sandbox: Sandbox;
	readonly api: LivePersonClient;
	readonly config: ConfigStore;
	readonly secrets: ListableSecretStore;
	readonly stateDir: string;
	/** Dependencies for one run: a fresh scripted prompter and recording Ui each time, the same sandbox, config and secrets. */
	run(script: Partial<Record<PromptId, Answer | readonly Answer[]>>, options?: ScriptedPrompterOptions & {interactive?: boolean; overrides?: Partial<Dependencies>}): {
		deps: Dependencies;
		prompts: ReturnType<typeof createScriptedPrompter>;
		screen: ReturnType<typeof createRecordingUi>;
		opened: string[];
	};
	/** CSDS requests the sandbox has answered so far. */
	csdsCalls(): number;
	/** Stops the sandbox, lets `edit` change its state file (what LivePerson would have lost or changed), and starts it again. */
	restartSandbox(edit: (state: PersistedSandboxState) => void): Promise<void>;
	close(): Promise<void>;
};

/** A sandbox reached over real HTTP by the real client, a config file in a temp dir, and an in-memory stand-in for the keychain. */
export async function createWizardWorld(): Promise<WizardWorld> {
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-wizard-'));
	const stateFile = join(directory, 'sandbox-state.json');
	let sandbox = await startSandbox({infrastructureMs: 0, stateFile});
	const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock: quickClock});
	const config = createConfigStore(join(directory, 'config.json'));
	// Stands in for the keychain: kept across the runs of one test, as the keychain is across processes. (A store of kind
	// `memory` is the user's "Nowhere": nothing kept, which the wizard says.)
	const secrets: ListableSecretStore = {...createMemoryStore(), kind: 'keychain'};
	const stateDir = join(directory, 'state');
	return {
		get sandbox() {
			return sandbox;
		},
		api,
		config,
		secrets,
		stateDir,
		run(script, options = {}) {
			const interactive = options.interactive ?? options.mode !== 'no-terminal';
			const prompts = createScriptedPrompter(script, options);
			const screen = createRecordingUi();
			const opened: string[] = [];
			const deps: Dependencies = {
				prompter: prompts.prompter,
				ui: screen.ui,
				secrets,
				api,
				config,
				clock: quickClock,
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
				functionsUi: {url: accountId => sandbox.functionsUiUrl(accountId), accept: async accountId => sandbox.acceptFunctionsUi(accountId)},
				...options.overrides,
			};
			return {deps, prompts, screen, opened};
		},
		csdsCalls: () => sandbox.requests().filter(request => request.path.includes('/baseURI')).length,
		async restartSandbox(edit) {
			const {port} = sandbox;
			await sandbox.close();
			const state = JSON.parse(await readFile(stateFile, 'utf8')) as PersistedSandboxState;
			edit(state);
			await writeFile(stateFile, JSON.stringify(state));
			sandbox = await startSandbox({infrastructureMs: 0, stateFile, port});
		},
		async close() {
			await api.close();
			await sandbox.close();
			await rm(directory, {recursive: true, force: true});
		},
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
