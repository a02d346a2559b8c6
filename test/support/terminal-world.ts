import {execFile} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {cliPath, createCliEnv, type TempDirs} from './cli.js';
import {openTerminal, type Terminal} from './tmux.js';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** Skips a test that needs the real keychain unless it runs under scripts/with-keyring.sh. */
export const keychainSkip = process.env['LP_TEST_KEYCHAIN'] === '1'
	? false
	: 'needs a Secret Service: run `scripts/with-keyring.sh node scripts/test.js`, which sets LP_TEST_KEYCHAIN=1';

export type TerminalWorld = {
	readonly dirs: TempDirs;
	readonly env: Record<string, string>;
	/** A profile of its own: the test keyring is shared by the whole run. */
	readonly profile: string;
	readonly configFile: string;
	/** Runs `node dist/cli.js ARGS` in a real terminal (tmux) of this world, closed after the test. */
	terminal(args: readonly string[], size?: {width: number; height: number}): Promise<Terminal>;
	/** Runs `node dist/cli.js ARGS` without a terminal (plain output), with the same HOME, XDG dirs and bus. */
	run(args: readonly string[]): Promise<{code: number; stdout: string; stderr: string}>;
};

/**
The world of a terminal test: a throwaway HOME and XDG dirs and an environment built from scratch (the harness's session bus,
TERM, PATH; no CI, which would make the wizard plain and prompt-less, no NO_COLOR/FORCE_COLOR from the runner). After the test
its terminals close, its profile is logged out of the shared test keyring and its directory is removed.
*/
export async function createTerminalWorld(
	t: {after(fn: () => Promise<void>): void},
	// `bus: null`: no session bus variable at all (a run with --insecure-storage never needs one).
	{bus = process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '', env: extra = {}}: {bus?: string | null; env?: Record<string, string>} = {},
): Promise<TerminalWorld> {
	// A short name: the sandbox's credentials path under it must fit one line of a 72-column prompt (storage-choice.test.ts).
	const dirs = await createCliEnv(undefined, 'lp-e2e-');
	const env: Record<string, string> = {...dirs.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...(bus === null ? {} : {DBUS_SESSION_BUS_ADDRESS: bus}), ...extra};
	const profile = `e2e-${randomUUID().slice(0, 8)}`;
	const terminals: Terminal[] = [];
	t.after(async () => {
		await Promise.all(terminals.map(async terminal => terminal.close()));
		await exec('node', [cliPath, 'logout', '--profile', profile], {env, cwd: root}).catch(() => undefined);
		await dirs.remove();
	});
	return {
		dirs,
		env,
		profile,
		configFile: join(dirs.configDir, 'config.json'),
		async terminal(args, size = {width: 120, height: 50}) {
			const terminal = await openTerminal(['node', cliPath, ...args], {env, cwd: root, ...size});
			terminals.push(terminal);
			return terminal;
		},
		async run(args) {
			try {
				const {stdout, stderr} = await exec('node', [cliPath, ...args], {env, cwd: root, timeout: 30_000});
				return {code: 0, stdout, stderr};
			} catch (error) {
				const failure = error as {code?: number; stdout?: string; stderr?: string};
				if (typeof failure.code !== 'number') {
					throw error;
				}

				return {code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? ''};
			}
		},
	};
}
