import {spawn} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const cliPath = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

export type CliResult = {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
	/** The argv of the CLI and of every process it started, as /proc showed them while it ran (Linux only; empty elsewhere). */
	readonly argvs: readonly string[];
};

export type RunOptions = {
	/** The whole environment of the CLI (nothing is inherited). */
	readonly env: Readonly<Record<string, string>>;
	readonly stdin?: string;
	/** @default 30000 */
	readonly timeoutMs?: number;
	readonly cwd?: string;
};

async function children(): Promise<Map<number, number[]>> {
	const byParent = new Map<number, number[]>();
	let entries: string[];
	try {
		entries = await readdir('/proc');
	} catch {
		return byParent;
	}

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

/** Reads the cmdline of `pid` and its descendants. */
async function snapshotArgv(pid: number, seen: Set<string>): Promise<void> {
	const tree = await children();
	const queue = [pid];
	while (queue.length > 0) {
		const current = queue.shift()!;
		queue.push(...(tree.get(current) ?? []));
		try {
			// eslint-disable-next-line no-await-in-loop
			const cmdline = await readFile(`/proc/${current}/cmdline`, 'utf8');
			if (cmdline) {
				seen.add(cmdline.replaceAll('\0', ' ').trim());
			}
		} catch {}
	}
}

/** Spawns `node dist/cli.js …args` with exactly `env`, and watches the process table while it runs. */
export async function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
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
	let running = true;
	const watching = (async () => {
		while (running && child.pid !== undefined) {
			// eslint-disable-next-line no-await-in-loop
			await snapshotArgv(child.pid, argvs);
			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}
	})();

	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, options.timeoutMs ?? 30_000);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (exitCode, exitSignal) => {
			resolve([exitCode, exitSignal]);
		});
	});
	clearTimeout(timer);
	running = false;
	await watching;
	return {code, signal, stdout, stderr, argvs: [...argvs]};
}

export type TempHome = {
	readonly root: string;
	/** HOME and every XDG dir inside `root`, CI=true (plain output, no prompts), no color. Add DBUS_SESSION_BUS_ADDRESS to use a keychain. */
	readonly env: Readonly<Record<string, string>>;
	readonly stateDir: string;
	readonly configDir: string;
	/** Every file under `root`: path relative to it → content. */
	files(): Promise<Map<string, string>>;
	remove(): Promise<void>;
};

export async function createTempHome(prefix = 'lp-reliability-cli-'): Promise<TempHome> {
	const root = await mkdtemp(join(tmpdir(), prefix));
	const env = {
		PATH: process.env['PATH'] ?? '/usr/bin:/bin',
		HOME: join(root, 'home'),
		XDG_CONFIG_HOME: join(root, 'config'),
		XDG_STATE_HOME: join(root, 'state'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
		CI: 'true',
		NO_COLOR: '1',
		TERM: 'dumb',
	};
	return {
		root,
		env,
		stateDir: join(root, 'state', 'lp-onboard'),
		configDir: join(root, 'config', 'lp-onboard'),
		async files() {
			const result = new Map<string, string>();
			const walk = async (directory: string, relative: string): Promise<void> => {
				let entries;
				try {
					entries = await readdir(directory, {withFileTypes: true});
				} catch {
					return;
				}

				for (const entry of entries) {
					const path = join(directory, entry.name);
					const name = relative ? `${relative}/${entry.name}` : entry.name;
					if (entry.isDirectory()) {
						// eslint-disable-next-line no-await-in-loop
						await walk(path, name);
					} else if (entry.isFile()) {
						// eslint-disable-next-line no-await-in-loop
						result.set(name, await readFile(path, 'latin1'));
					}
				}
			};

			await walk(root, '');
			return result;
		},
		async remove() {
			await rm(root, {recursive: true, force: true});
		},
	};
}
