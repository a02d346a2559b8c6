#!/usr/bin/env node
// The composition root, and the only file that touches process.*: streams, signals, argv, the command registry and the
// one error printer. Commands live in source/commands/ and get everything through the factory (source/factory.ts).
// Heavy modules load per command, so `--version` and `--help` stay close to Node's own start-up time.
import process from 'node:process';
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {setFlagsFromString} from 'node:v8';
import {parseCommandLine, type Command} from './source/cli/args.js';
import {createIo, type Io} from './source/cli/io.js';
import type {RunCommand} from './source/commands/command.js';
import {CancelledError, LpError, UsageError, exitCodes} from './source/errors.js';

// Peak memory over speed, set before the heap grows (measured in `npm run bench`, see the README): V8 keeps its young
// generation small, optimizes no JavaScript, and compiles WebAssembly (Ink's layout engine, undici's HTTP parser) with
// its baseline compiler only. A CLI that waits on the network misses none of it; the Ink UI's peak drops by ~20 MiB.
// `lp-onboard sandbox` is the exception: a server under load (bench part 7) keeps V8's optimizing compiler.
if (process.argv[2] !== 'sandbox') {
	setFlagsFromString('--optimize-for-size');
	setFlagsFromString('--no-opt');
	setFlagsFromString('--liftoff-only');
}

// The young generation keeps its first size rather than growing with the length of the run: without it a `provision
// --accounts` dry run of 5,000 accounts peaks 1.3× one account (bench part 6).
setFlagsFromString('--semi-space-growth-factor=1');

const registry: Record<Command, () => Promise<{run: RunCommand}>> = {
	wizard: async () => import('./source/commands/wizard.js'),
	api: async () => import('./source/commands/api.js'),
	auth: async () => import('./source/commands/auth-header.js'),
	domains: async () => import('./source/commands/domains.js'),
	provision: async () => import('./source/commands/provision.js'),
	status: async () => import('./source/commands/status.js'),
	logout: async () => import('./source/commands/logout.js'),
	sandbox: async () => import('./source/commands/sandbox.js'),
	doctor: async () => import('./source/commands/doctor.js'),
	help: async () => import('./source/commands/help.js'),
	completion: async () => import('./source/commands/completion.js'),
};

function packageVersion(): string {
	for (const path of ['../package.json', './package.json']) {
		try {
			return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {version: string}).version;
		} catch {}
	}

	return 'unknown';
}

/** One message and a documented exit code for every error; a stack only for bugs, and only with LP_DEBUG. */
async function printError(error: unknown, io: Io): Promise<number> {
	const red = (text: string) => (io.errColorEnabled ? `\u001B[31m${text}\u001B[39m` : text);
	const lpError = error instanceof LpError ? error : undefined;
	const message = lpError?.message ?? `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
	const hint = lpError ? lpError.hint : 'This is a bug in lp-onboard. Run again with LP_DEBUG=1 for details and report it.';
	// At a terminal, lines break between words, indented under the first.
	// Escape sequences and control characters go, so hostile input echoed in a message cannot drive the terminal.
	const [{wrapWords}, {clean}] = await Promise.all([import('./source/ui/text.js'), import('./source/ui/format.js')]);
	const width = io.errColumns === undefined ? Number.POSITIVE_INFINITY : io.errColumns - 2;
	const block = (text: string) => wrapWords(clean(text), width).join('\n  ');
	io.err.write(`${red('✖')} ${block(message)}\n${hint ? `  ${block(hint)}\n` : ''}`);
	if (!lpError && process.env['LP_DEBUG'] && error instanceof Error) {
		io.err.write(`${error.stack ?? ''}\n`);
	}

	return lpError?.exitCode ?? exitCodes.failure;
}

async function run(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
	const line = parseCommandLine(argv, process.env);
	if (line.flags.version || line.flags.help) {
		io.out.write(line.flags.version ? `${packageVersion()}\n` : (await import('./source/cli/help.js')).commandHelp(line.command));
		return exitCodes.ok;
	}

	let env: Record<string, string | undefined> = process.env;
	if (line.flags.stdin) {
		if (io.stdinIsTerminal) {
			throw new UsageError('--stdin needs piped input, e.g. `lp-onboard --stdin < secrets.env`.', 'Or set the values in the environment.');
		}

		const [{readText}, {parseSecretsFromStdin}] = await Promise.all([import('./source/system/read-input.js'), import('./source/prompts/stdin-secrets.js')]);
		const text = await readText(io.in, {signal, maxBytes: 64 * 1024, what: 'The --stdin input'});
		env = {...env, ...parseSecretsFromStdin(text)};
	}

	const [{createFactory}, {invocationOf}, {systemClock}, {openUrl}, command] = await Promise.all([
		import('./source/factory.js'),
		import('./source/cli/invocation.js'),
		import('./source/clock.js'),
		import('./source/system/open-url.js'),
		registry[line.command](),
	]);
	const factory = createFactory({
		flags: line.flags,
		env,
		io,
		signal,
		homedir: homedir(),
		platform: process.platform,
		invocation: invocationOf({script: process.argv[1], cwd: process.cwd(), env: process.env}),
		nodeVersion: process.version,
		nodePath: process.execPath,
		clock: systemClock,
		openUrl: async url => openUrl(url, {platform: process.platform, env: process.env}),
		// The terminal UI reads keys in raw mode, where Ctrl-C sends no SIGINT: it asks for one, so a cancel is a cancel.
		interrupt() {
			process.kill(process.pid, 'SIGINT');
		},
	});
	try {
		const result = await command.run(factory, line.args);
		const output = line.flags.json && result.json !== undefined ? JSON.stringify(result.json, undefined, 2) : result.text;
		if (output !== undefined && output !== '') {
			io.print(output);
		}

		return result.exitCode;
	} finally {
		await factory.dispose();
	}
}

/** The one I/O port of the run, from the real streams and environment; colour is decided here, once. */
function processIo(): Io {
	if (process.stderr.isTTY && (!process.stderr.columns || !process.stderr.rows)) {
		// Some terminals report a 0×0 size (a pty nobody sized, a serial console); Ink 6.8 would then lay out one
		// character a line and clear the screen on every frame. Assume the classic 80×24.
		process.stderr.columns ||= 80;
		process.stderr.rows ||= 24;
	}

	const io = createIo({stdin: process.stdin, stdout: process.stdout, stderr: process.stderr}, process.env);
	if (!io.errColorEnabled && process.env['FORCE_COLOR'] === undefined) {
		// Ink's chalk and @inquirer's colours only listen to FORCE_COLOR (and to stdout being a terminal); they follow the
		// port's decision, which honours NO_COLOR (https://no-color.org) and TERM=dumb.
		process.env['FORCE_COLOR'] = '0';
	}

	return io;
}

async function main() {
	const io = processIo();
	const controller = new AbortController();
	let signals = 0;
	const onSignal = (name: NodeJS.Signals) => {
		signals++;
		if (signals > 1) {
			process.exit(exitCodes.cancelled);
		}

		// SIGHUP (terminal closed, SSH dropped) stops like Ctrl-C: checkpoint written, LivePerson session logged out.
		controller.abort(new CancelledError(name === 'SIGINT' ? 'Cancelled.' : `Stopped by ${name}.`));
	};

	// A reader that went away (`lp-onboard domains | head -1`, a closed terminal) is no error: drop what is left to write,
	// like `git log | head`. The command still finishes its own work (a provisioning checkpoint, a logout).
	const ignoreClosed = (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED' && error.code !== 'EIO') {
			throw error;
		}
	};

	process.stdout.on('error', ignoreClosed);
	process.stderr.on('error', ignoreClosed);
	for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(name, onSignal);
	}

	try {
		process.exitCode = await run(process.argv.slice(2), io, controller.signal);
	} catch (error) {
		// After a signal, whatever broke on the way out reads as the signal's one line, unless it is a real error of its own.
		const cancelled = controller.signal.aborted
			&& (error instanceof CancelledError || !(error instanceof LpError) || error.exitCode === exitCodes.failure);
		process.exitCode = await printError(cancelled ? controller.signal.reason as unknown : error, io);
	}
}

await main();
