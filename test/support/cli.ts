// Runs the built CLI (`node dist/cli.js`) as a real child process with piped stdio, for CLI-level tests.
// Build first (`npm run build`); `npm test` does.
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {mkdir, mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {setTimeout as delay} from 'node:timers/promises';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliEnv = Readonly<Record<string, string>>;

/** What a script or CI run looks like to the CLI: no terminal features, no colour. Spread over `createCliEnv().env`. */
export const plainEnv: CliEnv = {CI: 'true', NO_COLOR: '1', TERM: 'dumb'};

export type CliResult = {
	/** The exit code; null when the process was killed by a signal (see `signal`). */
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
	/** With `watchArgv`: the argv of the CLI and of every process it started, as /proc showed them while it ran. */
	readonly argvs?: readonly string[];
};

export type RunCliOptions = {
	/** The whole environment of the CLI: nothing is inherited (build it with `createCliEnv`). */
	readonly env: CliEnv;
	/** Written to stdin, which is then closed. Without it, stdin is closed at once. */
	readonly stdin?: string;
	/** The process is SIGKILLed after this long and the result rejects. @default 30000 */
	readonly timeoutMs?: number;
	readonly cwd?: string;
	/** Read the process table every 10 ms while the CLI runs (Linux), for the secret-leak scan. */
	readonly watchArgv?: boolean;
};

async function childrenByParent(): Promise<Map<number, number[]>> {
	const byParent = new Map<number, number[]>();
	const entries = await readdir('/proc').catch(() => [] as string[]);
	await Promise.all(entries.filter(entry => /^\d+$/.test(entry)).map(async entry => {
		try {
			const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
			// The command name may contain spaces and parentheses: the fields after the last ")" are fixed.
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			byParent.set(parent, [...(byParent.get(parent) ?? []), Number(entry)]);
		} catch {}
	}));
	return byParent;
}

/** Adds the cmdline of `pid` and of its descendants to `seen`. */
async function snapshotArgv(pid: number, seen: Set<string>): Promise<void> {
	// The CLI's own argv first: walking all of /proc takes long enough under load that a quick command is gone by then.
	const own = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
	if (own) {
		seen.add(own.replaceAll('\0', ' ').trim());
	}

	const tree = await childrenByParent();
	const queue = [pid];
	while (queue.length > 0) {
		const current = queue.shift()!;
		queue.push(...(tree.get(current) ?? []));
		const cmdline = await readFile(`/proc/${current}/cmdline`, 'utf8').catch(() => '');
		if (cmdline) {
			seen.add(cmdline.replaceAll('\0', ' ').trim());
		}
	}
}

export type RunningCli = {
	readonly child: ChildProcessWithoutNullStreams;
	/** Everything printed so far. */
	stdout(): string;
	stderr(): string;
	/** Polls stdout (or stderr) until it matches; returns the match. Rejects when the process ends or time runs out first. */
	waitForOutput(pattern: RegExp, options?: {stream?: 'stdout' | 'stderr'; timeoutMs?: number}): Promise<RegExpMatchArray>;
	/** Resolves once the process has ended and its streams are closed. */
	exited(timeoutMs?: number): Promise<CliResult>;
	/** SIGKILLs the process if it is still running and waits for it. */
	stop(): Promise<void>;
};

/** Starts `node dist/cli.js …args` with exactly `env` and piped stdio; `stdin` is written and closed (closed at once without it). */
export function spawnCli(args: readonly string[], options: Omit<RunCliOptions, 'timeoutMs'>): RunningCli {
	const child = spawn(process.execPath, [cliPath, ...args], {env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	child.stdin.on('error', () => {});
	child.stdin.end(options.stdin ?? '');
	const argvs = new Set<string>();
	let ended: CliResult | undefined;
	const closed = new Promise<CliResult>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			ended = {code, signal, stdout, stderr, ...(options.watchArgv ? {argvs: [...argvs]} : {})};
			resolve(ended);
		});
	});
	if (options.watchArgv && child.pid !== undefined) {
		const pid = child.pid;
		void (async () => {
			while (!ended) {
				await snapshotArgv(pid, argvs);
				await delay(10);
			}
		})();
	}

	closed.catch(() => {});

	const running: RunningCli = {
		child,
		stdout: () => stdout,
		stderr: () => stderr,
		async waitForOutput(pattern, {stream = 'stdout', timeoutMs = 20_000} = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const match = (stream === 'stdout' ? stdout : stderr).match(pattern);
				if (match) {
					return match;
				}

				if (ended) {
					throw new Error(`The CLI ended (code ${String(ended.code)}, signal ${String(ended.signal)}) before ${stream} matched ${String(pattern)}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
				}

				if (Date.now() > deadline) {
					throw new Error(`Timed out waiting for ${stream} to match ${String(pattern)}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
				}

				await delay(50);
			}
		},
		async exited(timeoutMs = 30_000) {
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => {
					child.kill('SIGKILL');
					reject(new Error(`The CLI did not end within ${timeoutMs} ms: lp-onboard ${args.join(' ')}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
				}, timeoutMs);
			});
			try {
				return await Promise.race([closed, timeout]);
			} finally {
				clearTimeout(timer);
			}
		},
		async stop() {
			if (!ended) {
				child.kill('SIGKILL');
				await closed;
			}
		},
	};
	return running;
}

/** Runs `node dist/cli.js …args` to the end with exactly `env`. Rejects (after a SIGKILL) when it takes longer than `timeoutMs`. */
export async function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
	return spawnCli(args, options).exited(options.timeoutMs);
}

export type TempDirs = {
	readonly root: string;
	/**
	PATH, HOME and every XDG dir inside `root`, and nothing else from this process's environment (no LP_*, no CI, no
	D-Bus: keytar fails fast without one). Spread it and add what a test needs, e.g. `{...dirs.env, CI: 'true'}`.
	*/
	readonly env: CliEnv;
	/** `$XDG_CONFIG_HOME/lp-onboard`: config.json, credentials.json. */
	readonly configDir: string;
	/** `$XDG_STATE_HOME/lp-onboard`: provision-ACCOUNT.json checkpoints, sandbox-state.json. */
	readonly stateDir: string;
	/** `configDir/sandbox`: the config.json and credentials.json of `--sandbox` runs. */
	readonly sandboxConfigDir: string;
	/** `stateDir/sandbox`: the checkpoints of `--sandbox` runs. */
	readonly sandboxStateDir: string;
	/** Reads and parses a JSON file under `root` (a relative path) or anywhere (absolute); undefined when missing. */
	readJson(path: string): Promise<unknown>;
	/** The provisioning checkpoint of a `--sandbox` run (`provision-ACCOUNT.json` in `sandboxStateDir`); undefined when missing. */
	checkpoint(accountId: string): Promise<{accountId?: string; tasks?: Record<string, {status: string; attempts?: number}>} | undefined>;
	/** Every file under `root`: path relative to it → content (latin1, so any bytes compare). */
	files(): Promise<Map<string, string>>;
	remove(): Promise<void>;
};

/** A fresh temp root with its own HOME and XDG dirs; pass `t` to remove it after the test. */
export async function createCliEnv(t?: {after(fn: () => Promise<void>): void}, prefix = 'lp-cli-'): Promise<TempDirs> {
	const root = await mkdtemp(join(tmpdir(), prefix));
	const dirs = {
		HOME: join(root, 'home'),
		XDG_CONFIG_HOME: join(root, 'config'),
		XDG_STATE_HOME: join(root, 'state'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
	};
	await Promise.all(Object.values(dirs).map(async directory => mkdir(directory, {recursive: true})));
	const result: TempDirs = {
		root,
		env: {PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', ...dirs},
		configDir: join(dirs.XDG_CONFIG_HOME, 'lp-onboard'),
		stateDir: join(dirs.XDG_STATE_HOME, 'lp-onboard'),
		sandboxConfigDir: join(dirs.XDG_CONFIG_HOME, 'lp-onboard', 'sandbox'),
		sandboxStateDir: join(dirs.XDG_STATE_HOME, 'lp-onboard', 'sandbox'),
		async readJson(path) {
			try {
				return JSON.parse(await readFile(path.startsWith('/') ? path : join(root, path), 'utf8')) as unknown;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
					return undefined;
				}

				throw error;
			}
		},
		async checkpoint(accountId) {
			return result.readJson(join(result.sandboxStateDir, `provision-${accountId}.json`)) as ReturnType<TempDirs['checkpoint']>;
		},
		async files() {
			const found = new Map<string, string>();
			const walk = async (directory: string, relative: string): Promise<void> => {
				const entries = await readdir(directory, {withFileTypes: true}).catch(() => []);
				for (const entry of entries) {
					const name = relative ? `${relative}/${entry.name}` : entry.name;
					if (entry.isDirectory()) {
						await walk(join(directory, entry.name), name);
					} else if (entry.isFile()) {
						found.set(name, await readFile(join(directory, entry.name), 'latin1'));
					}
				}
			};

			await walk(root, '');
			return found;
		},
		async remove() {
			await rm(root, {recursive: true, force: true});
		},
	};
	t?.after(async () => result.remove());
	return result;
}

/** Polls `check` until it returns something truthy; throws with `what` after `timeoutMs`. */
export async function pollUntil<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
		}

		await delay(50);
	}
}
