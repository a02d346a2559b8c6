import type {Clock} from './clock.js';
import type {Flags} from './cli/args.js';
import type {Io} from './cli/io.js';
import {type ConfigPaths, configPaths, sandboxPaths} from './config/paths.js';
import {type ConfigStore, type ProfileConfig, createConfigStore} from './config/config-store.js';
import type {Env} from './environment.js';
import type {LivePersonClient} from './liveperson/api.js';
import type {PresetAnswers} from './prompts/prompter-stack.js';
import type {PromptId, Prompter} from './prompts/prompter.js';
import type {Sandbox} from './sandbox/server.js';
import type {ListableSecretStore} from './secrets/secret-store.js';
import type {Ui} from './ui/ui.js';

/**
Everything a command may use, built once per run by `cli.tsx` (or by a test with fakes). The ports behind a function are
created at their first use, so a command that never asks, stores or calls LivePerson never loads @inquirer, keytar or
undici.
*/
export type Factory = {
	readonly flags: Flags;
	/** The environment, with `--stdin` KEY=VALUE lines on top. */
	readonly env: Env;
	/** The terminal: streams, whether a person can be asked (never with `--json` or `--stdin`), widths, colour. */
	readonly io: Io;
	readonly paths: ConfigPaths;
	readonly config: ConfigStore;
	readonly clock: Clock;
	readonly signal: AbortSignal;
	/**
	How the user started lp-onboard ("lp-onboard", "npx lp-onboard", "node dist/cli.js"), for next steps that work when
	pasted.
	*/
	readonly invocation: string;
	readonly nodeVersion: string;
	/** The Node.js binary running lp-onboard, for helper processes (the keychain's). */
	readonly nodePath: string;
	ui(): Promise<Ui>;
	/** The prompter for this run: flag → env (→ `extra`) → stored default → the terminal, each preset tried once. */
	prompter(extra?: PresetAnswers): Promise<Prompter>;
	/** The secret store the profile uses; `forWriting` may ask where to keep the key when no keychain answers. */
	secrets(options: {forWriting: boolean; prompter?: Prompter}): Promise<ListableSecretStore>;
	/** The in-process sandbox with `--sandbox`, else undefined. Started once. */
	sandbox(): Promise<Sandbox | undefined>;
	/** The CSDS this run talks to: the sandbox, `--csds-url`/LP_CSDS_URL, the profile's, or LivePerson's. */
	csdsUrl(): Promise<string>;
	/**
	Where requests go and how: the CSDS URL, whether it is a local sandbox (no proxy, *.sandbox.test → loopback), the
	proxy.
	*/
	network(): Promise<Network>;
	api(): Promise<LivePersonClient>;
	/** Opens a URL in the user's browser; false when it could not (no display, no terminal). */
	openUrl(url: string): Promise<boolean>;
	/** The profile's saved state (config file), or undefined for a new profile. */
	profile(): Promise<ProfileConfig | undefined>;
};

export type Network = {
	readonly csdsUrl: string;
	readonly local: boolean;
	readonly proxy: {readonly httpsProxy?: string; readonly httpProxy?: string; readonly noProxy?: string} | undefined;
	readonly timeoutMs: number | undefined;
};

export type FactoryOptions = {
	readonly flags: Flags;
	readonly env: Env;
	/** The terminal port, made once by the composition root (or a test double); --json/--stdin turn its prompts off. */
	readonly io: Io;
	readonly signal: AbortSignal;
	readonly homedir: string;
	readonly platform: NodeJS.Platform;
	readonly invocation: string;
	readonly nodeVersion: string;
	readonly nodePath: string;
	readonly clock: Clock;
	/** Opens a URL with the platform's opener; the composition root decides whether one may run. */
	readonly openUrl: (url: string) => Promise<boolean>;
	/**
	Ctrl-C while the terminal UI reads keys in raw mode (no SIGINT comes then): the composition root cancels as for SIGINT.
	*/
	readonly interrupt: () => void;
};

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
Ports a test puts in place of the real ones. Everything else (flags, env, paths, config, the prompter stack with its
flag answers, the I/O rules) is built exactly as for a real run, so a test factory cannot drift from this one.
*/
type Replaceable = 'ui' | 'secrets' | 'sandbox' | 'csdsUrl' | 'network' | 'api' | 'openUrl';
export type FactoryOverrides = Partial<Pick<Factory, Replaceable>> & {
	/** Stands in for the terminal's questions (asked last, and only when `io.canPrompt`). */
	readonly terminal?: Prompter;
};

type Disposable = {dispose(): Promise<void>};

function once<T>(make: () => Promise<T>): () => Promise<T> {
	let value: Promise<T> | undefined;
	return async () => {
		value ??= make();
		return value;
	};
}

/** Ink on stderr for a person at a terminal; one plain line per change otherwise. */
async function makeUi(io: Io, interrupt: () => void): Promise<Ui> {
	return io.canPrompt
		? (await import('./ui/ink-ui.js')).createInkUi({stdin: io.in, stdout: io.err, onInterrupt: interrupt})
		: (await import('./ui/plain-ui.js')).createPlainUi(io.err);
}

async function startRunSandbox(paths: ConfigPaths, watched: boolean): Promise<Sandbox> {
	const [{startSandbox}, {ensurePrivateDirectory}] = await Promise.all([
		import('./sandbox/server.js'),
		import('./config/directories.js'),
	]);
	// The state directory is lp-onboard's: 0700 whatever the umask, before the sandbox writes its state there. The real
	// one, not the sandbox profiles' folder: `lp-onboard sandbox` serves the same state file.
	await ensurePrivateDirectory(paths.stateDir);
	const sandbox = await startSandbox({port: 0, stateFile: `${paths.stateDir}/sandbox-state.json`});
	if (watched) {
		// A loopback answer takes no time, so the live progress bars would jump straight to 100 %. A person watching
		// gets LivePerson-like latency; scripts and tests (no terminal) get the sandbox at full speed.
		sandbox.addFault({kind: 'latency', ms: 120});
	}

	return sandbox;
}

async function runCsdsUrl(flags: Flags, config: ConfigStore, sandbox: () => Promise<Sandbox | undefined>) {
	const {defaultCsdsUrl} = await import('./liveperson/endpoints.js');
	const stored = await config.profile(flags.profile);
	const url = (await sandbox())?.url ?? flags.csdsUrl ?? stored?.csdsUrl ?? defaultCsdsUrl;
	if (stored?.domains && (flags.sandbox || url !== (stored.csdsUrl ?? defaultCsdsUrl))) {
		// Cached domains belong to the CSDS that answered them: every --sandbox run listens on a new port, and another
		// --csds-url (a restarted `lp-onboard sandbox`, a test environment) hands out other hosts.
		await config.update(flags.profile, {domains: undefined});
	}

	return url;
}

function networkFor(url: string, flags: Flags, env: Env): Network {
	// A CSDS on this machine is a sandbox (in-process, or `lp-onboard sandbox` in another terminal): its *.sandbox.test
	// hosts resolve to loopback, and no proxy is used.
	const local = flags.sandbox || loopbackHosts.has(new URL(url).hostname);
	const proxy = local ? undefined : {
		httpsProxy: env['HTTPS_PROXY'] ?? env['https_proxy'],
		httpProxy: env['HTTP_PROXY'] ?? env['http_proxy'],
		noProxy: env['NO_PROXY'] ?? env['no_proxy'],
	};
	return {csdsUrl: url, local, proxy, timeoutMs: flags.timeoutMs};
}

/**
Builds the ports for one run. `dispose()` closes what was opened (the client's sockets, the in-process sandbox) whatever
the command did, or the event loop stays alive.
*/
export function createFactory(options: FactoryOptions, overrides: FactoryOverrides = {}): Factory & Disposable {
	const {flags, env, signal} = options;
	// `--json` output and stdin taken by `--stdin` must never wait on a question.
	const io = flags.json || flags.stdin ? options.io.withoutPrompts() : options.io;
	const realPaths = configPaths(env, options.homedir);
	// `--sandbox` runs keep profiles, secrets and checkpoints of their own: a demo never blocks or changes a real setup.
	const paths = flags.sandbox ? sandboxPaths(realPaths) : realPaths;
	// A part of config.json of the wrong shape is ignored with a warning (`ui` is made at its first use, below).
	const warn = (message: string) => {
		void ui().then(made => {
			made.warn(message);
		});
	};

	// Before its first use, the upgrade of an lp-onboard that kept sandbox profiles in the real config.json.
	const config = afterSandboxMove(
		createConfigStore(paths.configFile, {warn}),
		{flags, env, nodePath: options.nodePath, realPaths, warn},
	);
	const opened: {ui?: Ui; sandbox?: Sandbox; client?: LivePersonClient} = {};
	const ui = overrides.ui ?? once(async () => (opened.ui = await makeUi(io, options.interrupt)));
	const sandbox = overrides.sandbox ?? once(async () => {
		opened.sandbox = flags.sandbox ? await startRunSandbox(realPaths, io.canPrompt) : undefined;
		return opened.sandbox;
	});
	const csdsUrl = overrides.csdsUrl ?? once(async () => runCsdsUrl(flags, config, sandbox));
	const network = overrides.network ?? once(async () => networkFor(await csdsUrl(), flags, env));
	const api = overrides.api ?? once(async () => {
		const {csdsUrl: url, local, proxy, timeoutMs} = await network();
		const {createLazyLivePersonApi} = await import('./liveperson/lazy-api.js');
		opened.client = createLazyLivePersonApi({
			csdsUrl: url,
			timeoutMs,
			resolveSandboxHosts: local,
			proxy,
			sendCredentialsTo: flags.sendCredentialsTo,
		});
		return opened.client;
	});
	const terminal = once(async () => {
		if (overrides.terminal) {
			return overrides.terminal;
		}

		const [{createInquirerPrompter}, {takingTurns}] = await Promise.all([
			import('./prompts/inquirer-prompter.js'),
			import('./ui/turns.js'),
		]);
		// Ink and @inquirer cannot share stdin: each question first ends the UI's live phase.
		return takingTurns(createInquirerPrompter({input: io.in, output: io.err, signal}), await ui());
	});
	const prompter = async (extra: PresetAnswers = {}): Promise<Prompter> => {
		const {createPrompter} = await import('./prompts/prompter-stack.js');
		const asker = io.canPrompt ? await terminal() : undefined;
		return createPrompter({answers: flagAnswers(flags), env: {...env, ...extra}, terminal: asker});
	};

	return {
		flags,
		env,
		io,
		paths,
		config,
		clock: options.clock,
		signal,
		invocation: options.invocation,
		nodeVersion: options.nodeVersion,
		nodePath: options.nodePath,
		ui,
		prompter,
		secrets: overrides.secrets ?? (async ({forWriting, prompter: asker}) => {
			const {openSecretStore} = await import('./secrets/open-store.js');
			return openSecretStore({
				profile: flags.profile, env, paths, config, ui: await ui(), nodePath: options.nodePath, forWriting,
				insecureStorage: flags.insecureStorage, sandbox: flags.sandbox, prompter: io.canPrompt ? asker : undefined,
			});
		}),
		sandbox,
		csdsUrl,
		network,
		api,
		openUrl: overrides.openUrl ?? (async url => (io.canPrompt ? options.openUrl(url) : false)),
		profile: async () => config.profile(flags.profile),
		async dispose() {
			// Off the terminal before the error printer or the shell writes there.
			await opened.ui?.end();
			await opened.client?.close();
			await opened.sandbox?.close();
		},
	};
}

/**
The config store, once profiles that an earlier lp-onboard set up with `--sandbox` in the real config.json have moved to
the sandbox's own (`moveSandboxProfiles`). Costs one read of config.json, at the store's first use; a file that cannot
be read is left to that use to report.
*/
function afterSandboxMove(
	store: ConfigStore,
	options: {flags: Flags; env: Env; nodePath: string; realPaths: ConfigPaths; warn(message: string): void},
): ConfigStore {
	const move = once(async () => {
		const {flags, env, nodePath, realPaths, warn} = options;
		const real = flags.sandbox ? createConfigStore(realPaths.configFile) : store;
		const found = await real.load().then(
			({profiles}) => Object.values(profiles).some(profile => profile.sandbox === true),
			() => false,
		);
		if (found) {
			const {moveSandboxProfiles, sandboxMoveStores} = await import('./config/sandbox-profiles.js');
			const sandbox = flags.sandbox ? store : createConfigStore(sandboxPaths(realPaths).configFile);
			const sides = {real: {paths: realPaths, config: real}, sandbox: {paths: sandboxPaths(realPaths), config: sandbox}};
			await moveSandboxProfiles({real, sandbox, secrets: sandboxMoveStores(sides, {env, nodePath}), warn});
		}
	});
	const after = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
		await move();
		return run(...args);
	};

	return {
		file: store.file,
		load: after(store.load),
		profile: after(store.profile),
		update: after(store.update),
		removeProfile: after(store.removeProfile),
	};
}

/** Flag values by prompt id: the first route of every answer. */
function flagAnswers(flags: Flags): Partial<Record<PromptId, string>> {
	return {
		'account-id': flags.account,
		'bot-login-name': flags.botName,
		'login-method': flags.loginMethod,
		'auth-method': flags.authMethod,
		username: flags.username,
		'confirm-provision': flags.yes ? 'yes' : undefined,
		'allow-bot-key': flags.yes ? 'yes' : undefined,
		'sandbox-demo': flags.demo ? 'yes' : undefined,
		'sandbox-admin': flags.demo ? 'yes' : undefined,
	};
}
