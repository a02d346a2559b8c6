// A private gnome-keyring for one test (its own D-Bus session, started by scripts/with-keyring.sh), so a test can lock
// it or stop its daemon without disturbing the shared keyring the other keychain tests use.
import {execFile, spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {keytarPath} from '../../source/secrets/keytar-store.js';

const run = promisify(execFile);
const withKeyring = fileURLToPath(new URL('../../scripts/with-keyring.sh', import.meta.url));

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Why keyring tests cannot run here, or `false`. */
export const privateKeyringSkip: string | false = !has('dbus-run-session') || !has('gnome-keyring-daemon') || !has('dbus-send')
	? 'needs dbus-run-session, dbus-send and gnome-keyring-daemon'
	: (keytarPath() ? false : 'keytar is not installed');

export type PrivateKeyring = {
	/** DBUS_SESSION_BUS_ADDRESS of the session: add it to a CLI's environment. */
	readonly bus: Readonly<Record<string, string>>;
	/** The keyring's own environment (HOME, XDG dirs, bus), for commands that act on the daemon itself. */
	readonly daemonEnv: Readonly<Record<string, string>>;
	/** Locks the "login" collection over D-Bus (org.freedesktop.Secret.Service.Lock). */
	lock(): Promise<void>;
	/** Whether the "login" collection is locked, as the Secret Service itself says. */
	isLocked(): Promise<boolean>;
	/** The pid of the process that owns org.freedesktop.secrets. */
	daemonPid(): Promise<number>;
	close(): Promise<void>;
};

const dbus = async (env: Readonly<Record<string, string>>, ...args: string[]) =>
	(await run('dbus-send', ['--session', '--print-reply', ...args], {env: {...process.env, ...env}})).stdout;

export async function startPrivateKeyring(): Promise<PrivateKeyring> {
	// The session lives as long as `cat` reads its stdin; it prints the environment it runs with first.
	const child = spawn(withKeyring, ['sh', '-c', 'env; echo ready; exec cat'], {stdio: ['pipe', 'pipe', 'ignore']});
	// One listener for the whole read: a chunk emitted between two `once()` calls would be lost, and the wait would hang.
	const output = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			text += chunk;
			if (text.includes('\nready\n')) {
				child.stdout.removeAllListeners('data');
				resolve(text);
			}
		});
		child.on('exit', () => {
			reject(new Error(`with-keyring.sh ended early: ${text}`));
		});
	});

	const seen = new Map(output.split('\n').map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
	const pick = (names: string[]) => Object.fromEntries(names.map(name => [name, seen.get(name) ?? '']));
	const bus = pick(['DBUS_SESSION_BUS_ADDRESS']);
	const daemonEnv = pick(['DBUS_SESSION_BUS_ADDRESS', 'HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'PATH']);
	const stopped = new Set<number>();
	const keyring: PrivateKeyring = {
		bus,
		daemonEnv,
		async lock() {
			await dbus(bus, '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login');
		},
		async isLocked() {
			const reply = await dbus(bus, '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets/collection/login', 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked');
			return /boolean true/.test(reply);
		},
		async daemonPid() {
			const reply = await dbus(bus, '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.secrets');
			const pid = Number(/uint32 (\d+)/.exec(reply)?.[1]);
			stopped.add(pid);
			return pid;
		},
		async close() {
			for (const pid of stopped) {
				try {
					process.kill(pid, 'SIGCONT');
				} catch {}
			}

			child.stdin.end();
			if (child.exitCode === null) {
				await once(child, 'close');
			}
		},
	};
	return keyring;
}
