#!/usr/bin/env node
// The composition root: the only file that reads process.* (argv, env, std streams, signals, exit code) and picks the
// adapters. Everything else takes what it needs as parameters. Heavy modules (Ink, React, undici, keytar, the sandbox)
// are imported lazily, per command, so `--version` and `--help` stay close to Node's own start-up time.
import process from 'node:process';
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {setFlagsFromString} from 'node:v8';
import {parseCommandLine, type CommandLine, type Flags} from './source/cli/args.js';
import {CancelledError, KeychainUnavailableError, LpError, MissingInputError, UsageError, exitCodes} from './source/errors.js';
import type {ConfigPaths} from './source/config/paths.js';
import type {ConfigStore} from './source/config/config-store.js';
import type {Prompter} from './source/prompts/prompter.js';
import type {ListableSecretStore} from './source/secrets/secret-store.js';
import type {Ui} from './source/ui/ui.js';

type Env = Readonly<Record<string, string | undefined>>;
type Write = (text: string) => void;

function packageVersion(): string {
	for (const path of ['../package.json', './package.json']) {
		try {
			return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {version: string}).version;
		} catch {}
	}

	return 'unknown';
}

async function readStdinSecrets(flags: Flags): Promise<Env> {
	if (!flags.stdin) {
		return {};
	}

	if (process.stdin.isTTY) {
		throw new UsageError('--stdin needs piped input, e.g. `lp-onboard --stdin < secrets.env`.', 'Or set the values in the environment.');
	}

	let text = '';
	for await (const chunk of process.stdin) {
		text += String(chunk);
	}

	const {parseSecretsFromStdin} = await import('./source/prompts/stdin-secrets.js');
	return parseSecretsFromStdin(text);
}

async function openUrl(url: string): Promise<boolean> {
	const {spawn} = await import('node:child_process');
	const opener = process.platform === 'darwin' ? ['open', url] : (process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url]);
	if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
		return false;
	}

	return new Promise(resolve => {
		const child = spawn(opener[0]!, opener.slice(1), {stdio: 'ignore', detached: true});
		child.on('error', () => {
			resolve(false);
		});
		child.on('spawn', () => {
			child.unref();
			resolve(true);
		});
	});
}

/**
The secret store for this run. The OS keychain unless the user chose the 0600 file (`--insecure-storage`, remembered per
profile). With no keychain: reading commands carry on with an empty store (env vars still work) and say so; the wizard
asks at a terminal (env vars or the file) and fails with the fix otherwise. Never a silent fallback.
*/
async function openSecrets(
	{flags, env, paths, config, ui, prompter, forWriting}: {flags: Flags; env: Env; paths: ConfigPaths; config: ConfigStore; ui: Ui; prompter?: Prompter; forWriting: boolean},
): Promise<ListableSecretStore> {
	const profile = await config.profile(flags.profile);
	if (flags.insecureStorage || profile?.storage === 'file') {
		const {createFileStore} = await import('./source/secrets/file-store.js');
		if (flags.insecureStorage && profile?.storage !== 'file' && forWriting) {
			await config.update(flags.profile, {storage: 'file'});
		}

		return createFileStore(paths.credentialsFile);
	}

	const {createKeychainStore} = await import('./source/secrets/keytar-store.js');
	const {createMemoryStore} = await import('./source/secrets/memory-store.js');
	try {
		return await createKeychainStore();
	} catch (error) {
		if (!(error instanceof KeychainUnavailableError)) {
			throw error;
		}

		const {credentialEnv} = await import('./source/secrets/secret-store.js');
		const keyInEnv = Object.values(credentialEnv).every(name => env[name]);
		if (!forWriting || profile?.storage === 'env' || keyInEnv) {
			ui.warn(`${error.message} Using only the LP_* environment variables; nothing is stored.`);
			return createMemoryStore();
		}

		// Without a terminal there is no one to choose: the error's hint names both ways out.
		if (!prompter) {
			throw error;
		}

		ui.warn(`${error.message}\n${error.hint ?? ''}`);
		const choice = await prompter.select({
			id: 'storage',
			message: 'Where should the API key values go?',
			choices: [
				{value: 'env', name: 'Nowhere: I will set LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET myself'},
				{value: 'file', name: `A file only I can read (0600, not encrypted): ${paths.credentialsFile}`},
				{value: 'cancel', name: 'Cancel, I will set up a keychain first'},
			],
		});
		if (choice === 'cancel') {
			throw error;
		}

		await config.update(flags.profile, {storage: choice});
		if (choice === 'file') {
			const {createFileStore} = await import('./source/secrets/file-store.js');
			return createFileStore(paths.credentialsFile);
		}

		return createMemoryStore();
	}
}

async function run(line: CommandLine, signal: AbortSignal): Promise<number> {
	const {flags} = line;
	const write: Write = text => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

	if (line.command === 'sandbox') {
		const {startSandbox, formatDemo} = await import('./source/sandbox/server.js');
		const sandbox = await startSandbox({port: flags.port ?? 0});
		write(formatDemo(sandbox).join('\n'));
		process.stderr.write('Sandbox running. Press Ctrl-C to stop.\n');
		await new Promise(resolve => {
			signal.addEventListener('abort', resolve, {once: true});
		});
		await sandbox.close();
		return exitCodes.ok;
	}

	const env: Env = {...process.env, ...(await readStdinSecrets(flags))};
	const {isInteractive} = await import('./source/environment.js');
	const interactive = !flags.json && isInteractive({stdinIsTTY: Boolean(process.stdin.isTTY) && !flags.stdin, stdoutIsTTY: Boolean(process.stderr.isTTY), env});
	const {configPaths} = await import('./source/config/paths.js');
	const paths = configPaths(env, homedir());
	const {createConfigStore} = await import('./source/config/config-store.js');
	const config = createConfigStore(paths.configFile);
	if (interactive && (!process.stderr.columns || !process.stderr.rows)) {
		// Some terminals report a 0×0 size (a pty nobody sized, a serial console). Ink 6.8 then lays out one character a
		// line and clears the screen on every frame; assume the classic 80×24.
		process.stderr.columns ||= 80;
		process.stderr.rows ||= 24;
	}

	if (process.env['NO_COLOR'] && process.env['FORCE_COLOR'] === undefined) {
		// Ink's chalk only listens to FORCE_COLOR; https://no-color.org asks every program to honour NO_COLOR.
		process.env['FORCE_COLOR'] = '0';
	}

	const ui: Ui = interactive
		? (await import('./source/ui/ink-ui.js')).createInkUi({stdin: process.stdin, stdout: process.stderr})
		: (await import('./source/ui/plain-ui.js')).createPlainUi(process.stderr);

	// undici parses HTTP with llhttp compiled to WebAssembly; V8's optimizing tier for it costs ~35 MiB of peak memory for
	// no gain in a CLI that makes a few dozen requests. Set after the UI is loaded: Ink's layout engine (also WebAssembly)
	// starts faster with tier-up, and undici is only loaded at the first request.
	setFlagsFromString('--liftoff-only');
	if (line.command === 'auth') {
		return authHeader(line, {env, config, paths, ui, write});
	}

	const profile = await config.profile(flags.profile);
	let sandbox: Awaited<ReturnType<typeof import('./source/sandbox/server.js')['startSandbox']>> | undefined;
	let client: import('./source/liveperson/api.js').LivePersonClient | undefined;
	try {
		if (flags.sandbox) {
			const {startSandbox} = await import('./source/sandbox/server.js');
			sandbox = await startSandbox({port: 0, stateFile: `${paths.stateDir}/sandbox-state.json`});
			if (interactive) {
				// A loopback answer takes no time, so the live progress bars would jump straight to 100 %. A person watching
				// gets LivePerson-like latency; scripts and tests (no terminal) get the sandbox at full speed.
				sandbox.addFault({kind: 'latency', ms: 120});
			}
		}

		const {createLazyLivePersonApi, defaultCsdsUrl} = await import('./source/liveperson/lazy-api.js');
		const csdsUrl = sandbox?.url ?? flags.csdsUrl ?? profile?.csdsUrl ?? defaultCsdsUrl;
		if (profile?.domains && (sandbox || csdsUrl !== (profile.csdsUrl ?? defaultCsdsUrl))) {
			// Cached domains belong to the CSDS that answered them: every --sandbox run listens on a new port, and another
			// --csds-url (a restarted `lp-onboard sandbox`, a test environment) hands out other hosts.
			await config.update(flags.profile, {domains: undefined});
		}
		// A CSDS on this machine is a sandbox (in-process, or `lp-onboard sandbox` in another terminal): its *.sandbox.test
		// hosts resolve to loopback, and no proxy is used.
		const local = Boolean(sandbox) || ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(csdsUrl).hostname);
		const proxy = local ? undefined : {httpsProxy: env['HTTPS_PROXY'] ?? env['https_proxy'], httpProxy: env['HTTP_PROXY'] ?? env['http_proxy'], noProxy: env['NO_PROXY'] ?? env['no_proxy']};
		const api = createLazyLivePersonApi({csdsUrl, timeoutMs: flags.timeoutMs, resolveSandboxHosts: local, proxy});
		client = api;
		const {createFlagPrompter} = await import('./source/prompts/flag-prompter.js');
		const answers = {
			'account-id': flags.account,
			'bot-login-name': flags.botName,
			'login-method': flags.loginMethod,
			username: flags.username,
			'confirm-provision': flags.yes ? 'yes' : undefined,
			'sandbox-demo': flags.demo ? 'yes' : undefined,
		};
		const makePrompter = async (answerEnv: Env): Promise<Prompter> => {
			if (!interactive) {
				return createFlagPrompter(answers, answerEnv);
			}

			const {createInquirerPrompter} = await import('./source/prompts/inquirer-prompter.js');
			const {createFirstAnswerPrompter} = await import('./source/prompts/first-answer-prompter.js');
			return createFirstAnswerPrompter(createFlagPrompter(answers, answerEnv, {useDefaults: false}), createInquirerPrompter({input: process.stdin, output: process.stderr, signal}));
		};

		let prompter = await makePrompter(env);
		const {systemClock} = await import('./source/clock.js');
		switch (line.command) {
			case 'domains': {
				const accountId = flags.account ?? env['LP_ACCOUNT_ID'] ?? profile?.accountId;
				if (!accountId) {
					throw new MissingInputError('account id', '--account', 'LP_ACCOUNT_ID');
				}

				const domains = await ui.task(`Resolving the service domains of ${accountId}`, async () => api.domains(accountId, {signal}));
				const {formatDomainsTable, domainsJson} = await import('./source/commands/domains.js');
				write(flags.json ? JSON.stringify(domainsJson(domains), undefined, 2) : formatDomainsTable(domains));
				return exitCodes.ok;
			}

			case 'status': {
				const secrets = await openSecrets({flags, env, paths, config, ui, forWriting: false});
				const {runStatus, formatStatus} = await import('./source/commands/status.js');
				const report = await runStatus({config, secrets, env, profile: flags.profile, api, signal});
				write(flags.json ? JSON.stringify(report, undefined, 2) : formatStatus(report).join('\n'));
				return exitCodes.ok;
			}

			case 'logout': {
				const secrets = await openSecrets({flags, env, paths, config, ui, forWriting: false});
				const {runLogout} = await import('./source/commands/logout.js');
				const {removed} = await runLogout({config, secrets, profile: flags.profile});
				write(flags.json
					? JSON.stringify({profile: flags.profile, removed}, undefined, 2)
					: (removed.length === 0 ? `Nothing to remove for profile ${flags.profile}.` : [`Removed for profile ${flags.profile}:`, ...removed.map(item => `  ${item}`)].join('\n')));
				return exitCodes.ok;
			}

			case 'provision': {
				const secrets = async () => openSecrets({flags, env, paths, config, ui, forWriting: false});
				return await provision({flags, env, ui, api, prompter, secrets, profile, paths, signal, write, clock: systemClock});
			}

			case 'doctor': {
				const {runDoctor, formatDoctor} = await import('./source/commands/doctor.js');
				const {createKeychainStore} = await import('./source/secrets/keytar-store.js');
				const {fetchServerDate} = await import('./source/liveperson/http.js');
				const results = await runDoctor({
					nodeVersion: process.version,
					env,
					csdsUrl,
					async probeKeychain() {
						await createKeychainStore();
					},
					serverDate: async url => fetchServerDate(url, {proxy, resolveSandboxHosts: local, timeoutMs: flags.timeoutMs, signal}),
					now: Date.now,
				});
				write(flags.json ? JSON.stringify(results, undefined, 2) : formatDoctor(results).join('\n'));
				return results.every(result => result.ok) ? exitCodes.ok : exitCodes.failure;
			}

			case 'wizard': {
				let accountId = flags.account;
				if (sandbox) {
					const {formatDemo} = await import('./source/sandbox/server.js');
					ui.info(['Running against the embedded LivePerson sandbox. Its demo values:', ...formatDemo(sandbox).map(text => `  ${text}`)].join('\n'));
					// One keypress instead of typing four keys: answer the account and the key with the demo values, as if from the env.
					// --demo --account 87654321 picks that demo account (V2); plain --demo the V1 one.
					const demoAccounts: Record<string, (typeof sandbox.demo.accounts)['12345678']> = sandbox.demo.accounts;
					const demo = demoAccounts[flags.demo && flags.account ? flags.account : '12345678'];
					if (!demo) {
						throw new UsageError(`--demo knows no sandbox account ${flags.account!}.`, `Use one of ${Object.keys(demoAccounts).join(', ')}, or drop --account.`);
					}

					// Not asked again once the profile has a working key: a re-run asks nothing it knows.
					const useDemo = flags.demo || (interactive && flags.account === undefined && !env['LP_APP_KEY'] && !profile?.completedSteps?.includes('api-key')
						&& await prompter.confirm({id: 'sandbox-demo', message: `Use the demo account ${demo.accountId} and its API key?`, default: true}));
					if (useDemo) {
						accountId = demo.accountId;
						prompter = await makePrompter({
							...env,
							LP_APP_KEY: demo.apiKey.appKey,
							LP_APP_SECRET: demo.apiKey.appSecret,
							LP_ACCESS_TOKEN: demo.apiKey.accessToken,
							LP_ACCESS_TOKEN_SECRET: demo.apiKey.accessTokenSecret,
						});
					}
				}

				const secrets = await openSecrets({flags, env, paths, config, ui, prompter: interactive ? prompter : undefined, forWriting: true});
				const {runWizard} = await import('./source/wizard/run-wizard.js');
				const {provisionAccount} = await import('./source/provisioning/provision.js');
				if (sandbox || flags.csdsUrl) {
					await config.update(flags.profile, {csdsUrl: sandbox ? undefined : csdsUrl});
				}

				const result = await runWizard(
					{prompter, ui, secrets, api, config, clock: systemClock, signal, openUrl: interactive ? openUrl : async () => false, profile: flags.profile, interactive, provision: provisionAccount, stateDir: paths.stateDir},
					{
						accountId,
						botName: flags.botName,
						loginMethod: flags.loginMethod,
						skipProvisioning: flags.skipProvisioning || undefined,
						functionsVersion: flags.functionsVersion,
						yes: flags.yes || undefined,
						dryRun: flags.dryRun || undefined,
						csdsUrl,
					},
				);
				if (flags.json) {
					// Never the key itself: only where it is kept.
					const {apiKey: {credentials: _credentials, ...apiKey}, ...rest} = result;
					write(JSON.stringify({...rest, apiKey: {...apiKey, storage: secrets.kind}}, undefined, 2));
				}

				return result.ok ? exitCodes.ok : exitCodes.partial;
			}

			default: {
				throw new UsageError(`Unknown command "${line.command}".`, 'See lp-onboard --help.');
			}
		}
	} finally {
		// Whatever happened, close the client's sockets and the in-process sandbox, or the event loop stays alive.
		await client?.close();
		await sandbox?.close();
	}
}

async function provision(
	{flags, env, ui, api, prompter, secrets, profile, paths, signal, write, clock}: {
		flags: Flags;
		env: Env;
		ui: Ui;
		api: import('./source/liveperson/api.js').LivePersonClient;
		prompter: Prompter;
		/** Opened only when the bot's stored key is needed, so a bad --accounts file fails before any keychain prompt. */
		secrets: () => Promise<ListableSecretStore>;
		profile: Awaited<ReturnType<ConfigStore['profile']>>;
		paths: ConfigPaths;
		signal: AbortSignal;
		write: Write;
		clock: import('./source/clock.js').Clock;
	},
): Promise<number> {
	const {provisionAccount, provisionMany, reportRows, provisionExitCode} = await import('./source/provisioning/provision.js');
	if (flags.showPrivileges) {
		const {secretPrivileges} = await import('./source/provisioning/tasks.js');
		write(Object.entries(secretPrivileges).map(([name, privileges]) => `${name}\n${privileges.map(privilege => `  ${privilege}`).join('\n')}`).join('\n'));
		return exitCodes.ok;
	}

	const {validateAccountId} = await import('./source/account-id.js');
	let accountIds: string[];
	if (flags.accounts) {
		const {readAccountsFile} = await import('./source/provisioning/accounts-file.js');
		accountIds = await readAccountsFile(flags.accounts, {signal});
	} else {
		const accountId = await prompter.text({id: 'account-id', message: 'LivePerson account id', default: profile?.accountId, validate: validateAccountId});
		accountIds = [accountId];
	}

	// An admin login: --username (+ LP_PASSWORD / --stdin / prompt), or the profile's bot with its API key.
	const username = flags.username ?? env['LP_USERNAME'];
	let login: import('./source/liveperson/types.js').LoginBody;
	if (username) {
		const password = await prompter.secret({id: 'password', message: `Password of ${username}`});
		login = {username, password};
	} else if (profile?.botLoginName && profile.accountId) {
		const {findCredentials} = await import('./source/secrets/secret-store.js');
		const found = await findCredentials(env, await secrets(), {profile: flags.profile, accountId: profile.accountId});
		const {appKey, appSecret, accessToken, accessTokenSecret} = found;
		if (!appKey.value || !appSecret.value || !accessToken.value || !accessTokenSecret.value) {
			throw new MissingInputError('admin login', '--username', 'LP_USERNAME');
		}

		login = {username: profile.botLoginName, credentials: {appKey: appKey.value, appSecret: appSecret.value, accessToken: accessToken.value, accessTokenSecret: accessTokenSecret.value}};
	} else {
		throw new MissingInputError('admin login', '--username', 'LP_USERNAME');
	}

	const confirm = async () => prompter.confirm({id: 'confirm-provision', message: `Provision LivePerson Functions on ${accountIds.length === 1 ? `account ${accountIds[0]}` : `${accountIds.length} accounts`}?`, default: false});
	const common = {api, ui, login, versionOverride: flags.functionsVersion, dryRun: flags.dryRun, yes: flags.yes, resume: flags.resume, confirm, signal, clock, stateDir: paths.stateDir};
	if (accountIds.length === 1 && !flags.accounts) {
		const report = await provisionAccount({...common, accountId: accountIds[0]!});
		if (flags.json) {
			write(JSON.stringify(report, undefined, 2));
		} else {
			ui.table(reportRows(report), ['Task', 'Result']);
		}

		return provisionExitCode([report]);
	}

	const result = await provisionMany({...common, accountIds, concurrency: flags.concurrency});
	if (flags.json) {
		write(JSON.stringify({ok: result.ok, accounts: result.outcomes}, undefined, 2));
	} else {
		write(result.rows.map(([account, summary]) => `${account}\t${summary}`).join('\n'));
	}

	return result.exitCode;
}

async function authHeader(line: CommandLine, {env, config, paths, ui, write}: {env: Env; config: ConfigStore; paths: ConfigPaths; ui: Ui; write: Write}): Promise<number> {
	const [sub, method, url, ...extra] = line.args;
	if (sub !== 'header' || method === undefined || url === undefined || extra.length > 0) {
		throw new UsageError('Usage: lp-onboard auth header METHOD URL', 'For example: lp-onboard auth header GET "https://va.example.liveperson.net/api/account/123/configuration/le-users/users?v=4.0"');
	}

	const {authHeaderLine, credentialsFromEnv} = await import('./source/commands/auth-header.js');
	let credentials;
	try {
		credentials = credentialsFromEnv(env);
	} catch (error) {
		// Not all in the environment: the stored profile, with env values still winning field by field.
		const profile = await config.profile(line.flags.profile);
		if (!(error instanceof MissingInputError) || !profile?.accountId) {
			throw error;
		}

		const secrets = await openSecrets({flags: line.flags, env, paths, config, ui, forWriting: false});
		const {credentialEnv, credentialFields, findCredentials} = await import('./source/secrets/secret-store.js');
		const found = await findCredentials(env, secrets, {profile: line.flags.profile, accountId: profile.accountId});
		// Through credentialsFromEnv again, for the same checks and the same message naming what is still missing.
		credentials = credentialsFromEnv(Object.fromEntries(credentialFields.map(name => [credentialEnv[name], found[name].value])));
	}

	write(authHeaderLine({method, url, credentials, nonce: line.flags.nonce, timestamp: line.flags.timestamp}));
	return exitCodes.ok;
}

function printError(error: unknown, color: boolean): number {
	// Strip control characters so hostile input echoed in a message cannot drive the terminal.
	const clean = (text: string) => text.replaceAll(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
	const red = (text: string) => (color ? `\u001B[31m${text}\u001B[39m` : text);
	if (error instanceof LpError) {
		process.stderr.write(`${red('✖')} ${clean(error.message)}\n`);
		if (error.hint) {
			process.stderr.write(`  ${clean(error.hint)}\n`);
		}

		return error.exitCode;
	}

	process.stderr.write(`${red('✖')} Unexpected error: ${clean(error instanceof Error ? error.message : String(error))}\n`);
	process.stderr.write('  This is a bug in lp-onboard. Run again with LP_DEBUG=1 for details and report it.\n');
	if (process.env['LP_DEBUG'] && error instanceof Error) {
		process.stderr.write(`${error.stack ?? ''}\n`);
	}

	return exitCodes.failure;
}

async function main() {
	const color = !process.env['NO_COLOR'] && Boolean(process.stderr.isTTY) && process.env['TERM'] !== 'dumb';
	const controller = new AbortController();
	let interrupts = 0;
	const onSignal = () => {
		interrupts++;
		if (interrupts > 1) {
			process.exit(exitCodes.cancelled);
		}

		controller.abort(new CancelledError());
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		const line = parseCommandLine(process.argv.slice(2), process.env);
		if (line.flags.version) {
			process.stdout.write(`${packageVersion()}\n`);
			return;
		}

		if (line.flags.help) {
			const {helpText} = await import('./source/cli/help.js');
			process.stdout.write(helpText);
			return;
		}

		process.exitCode = await run(line, controller.signal);
	} catch (error) {
		process.exitCode = printError(controller.signal.aborted && !(error instanceof LpError && error.exitCode !== exitCodes.failure) ? new CancelledError() : error, color);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

await main();
