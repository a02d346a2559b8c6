import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Clock} from '../../../source/clock.js';
import {createConfigStore, type ConfigStore} from '../../../source/config/config-store.js';
import {createLivePersonApi, type LivePersonClient} from '../../../source/liveperson/api.js';
import type {PromptId} from '../../../source/prompts/prompter.js';
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

export type WizardWorld = {
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
	close(): Promise<void>;
};

/** A sandbox reached over real HTTP by the real client, a config file in a temp dir, and a memory secret store. */
export async function createWizardWorld(): Promise<WizardWorld> {
	const sandbox = await startSandbox({infrastructureMs: 0});
	const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock: quickClock});
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-wizard-'));
	const config = createConfigStore(join(directory, 'config.json'));
	const secrets = createMemoryStore();
	const stateDir = join(directory, 'state');
	return {
		sandbox,
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
				...options.overrides,
			};
			return {deps, prompts, screen, opened};
		},
		csdsCalls: () => sandbox.requests().filter(request => request.path.includes('/baseURI')).length,
		async close() {
			await api.close();
			await sandbox.close();
			await rm(directory, {recursive: true, force: true});
		},
	};
}
