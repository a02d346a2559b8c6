#!/usr/bin/env node
// The composition root: the only file that reads process.* (argv, env, std streams, signals, exit code) and picks the
// adapters. Everything else takes what it needs as parameters. Heavy modules (Ink, React, undici, keytar, the sandbox)
// are imported lazily, per command, so `--version` and `--help` stay as fast as Node itself.
import process from 'node:process';
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {parseCommandLine, type CommandLine} from './source/cli/args.js';
import {CancelledError, LpError, MissingInputError, UsageError, exitCodes} from './source/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

function packageVersion(): string {
	for (const path of ['../package.json', './package.json']) {
		try {
			return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {version: string}).version;
		} catch {}
	}

	return 'unknown';
}

async function readStdin(): Promise<string> {
	if (process.stdin.isTTY) {
		throw new UsageError('--stdin needs piped input, e.g. `lp-onboard --stdin < secrets.env`.', 'Or set the values in the environment.');
	}

	let text = '';
	for await (const chunk of process.stdin) {
		text += String(chunk);
	}

	return text;
}

async function run(line: CommandLine, signal: AbortSignal): Promise<number> {
	const {flags} = line;
	const env: Env = process.env;
	const {isInteractive, useColor} = await import('./source/environment.js');
	const interactive = isInteractive({stdinIsTTY: Boolean(process.stdin.isTTY), stdoutIsTTY: Boolean(process.stderr.isTTY), env}) && !flags.json;
	const write = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

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

	if (line.command === 'auth') {
		return authHeader(line, env, write);
	}

	// Everything below talks to LivePerson (or the sandbox).
	const {configPaths} = await import('./source/config/paths.js');
	const paths = configPaths(env, homedir());
	const {createConfigStore} = await import('./source/config/config-store.js');
	const config = createConfigStore(paths.configFile);
	const profile = await config.load().then(all => all.profiles[flags.profile]);

	let sandbox: {url: string; close(): Promise<void>; demo: unknown} | undefined;
	if (flags.sandbox) {
		const {startSandbox} = await import('./source/sandbox/server.js');
		sandbox = await startSandbox({port: 0, stateFile: `${paths.stateDir}/sandbox-state.json`});
	}

	const {createLivePersonApi} = await import('./source/liveperson/api.js');
	const api = createLivePersonApi({
		csdsUrl: sandbox?.url ?? flags.csdsUrl ?? profile?.csdsUrl ?? 'https://api.liveperson.net',
		timeoutMs: flags.timeoutMs,
		resolveSandboxHosts: Boolean(sandbox),
		proxy: sandbox ? undefined : {httpsProxy: env['HTTPS_PROXY'] ?? env['https_proxy'], httpProxy: env['HTTP_PROXY'] ?? env['http_proxy'], noProxy: env['NO_PROXY'] ?? env['no_proxy']},
	});

	try {
		switch (line.command) {
			case 'domains': {
				const accountId = flags.account ?? env['LP_ACCOUNT_ID'] ?? profile?.accountId;
				if (!accountId) {
					throw new MissingInputError('account id', '--account', 'LP_ACCOUNT_ID');
				}

				const domains = await api.domains(accountId, {signal});
				const {formatDomainsTable, domainsJson} = await import('./source/commands/domains.js');
				write(flags.json ? JSON.stringify(domainsJson(domains), undefined, 2) : formatDomainsTable(domains));
				return exitCodes.ok;
			}

			default: {
				throw new UsageError(`"${line.command}" is not available yet.`, 'See lp-onboard --help.');
			}
		}
	} finally {
		await api.close();
		await sandbox?.close();
		void interactive;
		void useColor;
	}
}

async function authHeader(line: CommandLine, env: Env, write: (text: string) => void): Promise<number> {
	const [sub, method, url, ...extra] = line.args;
	if (sub !== 'header' || method === undefined || url === undefined || extra.length > 0) {
		throw new UsageError('Usage: lp-onboard auth header METHOD URL', 'For example: lp-onboard auth header GET "https://va.example.liveperson.net/api/account/123/configuration/le-users/users?v=4.0"');
	}

	const {authHeaderLine, credentialsFromEnv} = await import('./source/commands/auth-header.js');
	write(authHeaderLine({method, url, credentials: credentialsFromEnv(env), nonce: line.flags.nonce, timestamp: line.flags.timestamp}));
	return exitCodes.ok;
}

function printError(error: unknown, color: boolean) {
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
	const color = !('NO_COLOR' in process.env) && Boolean(process.stderr.isTTY) && process.env['TERM'] !== 'dumb';
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
		process.exitCode = printError(controller.signal.aborted ? new CancelledError() : error, color);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

await main();
