import {spawn} from 'node:child_process';
import {createRequire} from 'node:module';
import type {Env} from '../environment.js';
import {KeychainUnavailableError} from '../errors.js';
import {filterSecretAccounts, type ListableSecretStore, type SecretIndex, secretAccount, secretService} from './secret-store.js';

/**
The part of keytar's API this store uses. `@napi-rs/keyring/keytar` has the same shape. Never `findCredentials`: on a
locked gnome-keyring it dereferences a null secret and the process dies with SIGSEGV (a known, unfixed keytar bug).
*/
export type KeytarLike = {
	getPassword(service: string, account: string): Promise<string | null>;
	setPassword(service: string, account: string, password: string): Promise<void>;
	deletePassword(service: string, account: string): Promise<boolean>;
};

export type KeychainOptions = {
	/** Where the names of the items written are kept (config.json), for `list`. */
	readonly index: SecretIndex;
	/**
	The keychain service every item is stored under.

	@default 'lp-onboard'
	*/
	readonly service?: string;
	/**
	How long to wait for any one keychain call. A locked or absent Secret Service can leave a call hanging forever.

	@default 3000
	*/
	readonly timeoutMs?: number;
	/**
	Loads the keytar module; resolves `undefined` when it is not installed. Tests pass a fake.

	@default loadKeytar
	*/
	readonly load?: () => Promise<KeytarLike | undefined>;
	/**
	Checks the keychain before any value is read: writes and removes a throwaway item (see `createKeychainStore`). Rejects
	with the keychain's error; may hang.

	@default A child process (`probeInChild`) with the D-Bus and display variables of `env`.
	*/
	readonly probe?: (keytar: KeytarLike, service: string, account: string) => Promise<void>;
	/** The environment the default probe's child takes the few variables a keychain client needs from. */
	readonly env?: Env;
};

/**
Imports keytar only when called, so commands that never touch a secret never load the native module (it is an
optional dependency, and on Linux it needs libsecret). Resolves `undefined` when keytar is not installed.
*/
export async function loadKeytar(): Promise<KeytarLike | undefined> {
	// A variable specifier keeps TypeScript from requiring keytar's types: it is optional and may be absent.
	const specifier = 'keytar';
	let module: Record<string, unknown>;
	try {
		module = (await import(specifier)) as Record<string, unknown>;
	} catch (error) {
		if (isModuleNotFound(error)) {
			return undefined;
		}

		throw error;
	}

	const keytar = (module['default'] ?? module) as Partial<KeytarLike>;
	return isKeytarLike(keytar) ? keytar : undefined;
}

/**
A `SecretStore` in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). It loads
keytar and probes the keychain once, so an unusable keychain fails here, with a reason and a fix, rather than halfway
through the wizard. Every call gives up after `timeoutMs` with a `KeychainUnavailableError`; after one has, the keychain
is taken as hung and every later call fails at once.
*/
export async function createKeychainStore(options: KeychainOptions): Promise<ListableSecretStore> {
	const {index, service = secretService, timeoutMs = 3000, load = loadKeytar} = options;

	let keytar: KeytarLike | undefined;
	try {
		keytar = await load();
	} catch (error) {
		throw new KeychainUnavailableError(`keytar could not be loaded (${messageOf(error)})`, {cause: error});
	}

	if (!keytar) {
		throw new KeychainUnavailableError('keytar is not installed');
	}

	const keychain = keytar;
	let hung: KeychainUnavailableError | undefined;
	const call = async <T>(operation: string, run: () => Promise<T>, onTimeout?: () => void): Promise<T> => {
		if (hung) {
			throw hung;
		}

		try {
			return await withTimeout(operation, run, timeoutMs, onTimeout);
		} catch (error) {
			if (error instanceof KeychainTimeoutError) {
				hung = error;
			}

			throw error;
		}
	};

	// A locked keyring answers reads with "no such item" (the values would look missing) but refuses to create an item,
	// so the probe writes and removes a throwaway one: it tells a locked keyring, a missing and a hung Secret Service
	// apart before any value is read. It runs in a child process because a hung native call cannot be cancelled: it
	// holds a libuv thread, which even process.exit() joins, until D-Bus gives up after 25 s. The child is killed.
	const controller = new AbortController();
	const probe = options.probe ?? probeInChild(options.env ?? {}, controller.signal);
	await call('probe', async () => probe(keychain, service, probeAccount), () => {
		controller.abort();
	});

	return {
		kind: 'keychain',
		async get(key) {
			return (await call('read', async () => keychain.getPassword(service, secretAccount(key)))) ?? undefined;
		},
		async set(key, value) {
			await index.add(key);
			await call('store', async () => keychain.setPassword(service, secretAccount(key), value));
		},
		async delete(key) {
			const deleted = await call('delete', async () => keychain.deletePassword(service, secretAccount(key)));
			await index.remove(key);
			return deleted;
		},
		async list(filter = {}) {
			// From the index, never from the keychain: see KeytarLike.
			return filterSecretAccounts((await index.indexed(filter.profile)).map(key => secretAccount(key)), filter);
		},
	};
}

/** The throwaway item of the probe. Not of the form PROFILE/ACCOUNT_ID/NAME, so nothing mistakes it for a credential. */
const probeAccount = 'lp-onboard-probe';

/** The probe in the current process, for fakes in tests. */
export async function probeInProcess(keytar: KeytarLike, service: string, account: string): Promise<void> {
	await keytar.setPassword(service, account, 'probe');
	await keytar.deletePassword(service, account);
}

/**
What a keychain client needs to reach the keychain (the session bus, the display for an unlock prompt, the home and user
on macOS and Windows). Only these reach the probe's process: never an LP_* value.
*/
const probeEnvNames = ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'DISPLAY', 'WAYLAND_DISPLAY', 'HOME', 'USER', 'LOGNAME', 'PATH', 'TMPDIR', 'SystemRoot', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA'];

/** `probeInProcess` in a child Node.js process, killed when `signal` aborts. It prints "ok" or the keychain's error. */
export function probeInChild(env: Env, signal: AbortSignal): (keytar: KeytarLike, service: string, account: string) => Promise<void> {
	return async (_keytar, service, account) => {
		const keytarPath = createRequire(import.meta.url).resolve('keytar');
		const script = `const [path, service, account] = process.argv.slice(1); const keytar = require(path);
			keytar.setPassword(service, account, 'probe').then(() => keytar.deletePassword(service, account))
				.then(() => process.stdout.write('ok'), error => process.stdout.write(String(error?.message ?? error)));`;
		const childEnv = Object.fromEntries(probeEnvNames.flatMap(name => (env[name] === undefined ? [] : [[name, env[name]]])));
		const child = spawn(process.execPath, ['-e', script, keytarPath, service, account], {env: childEnv, stdio: ['ignore', 'pipe', 'ignore'], signal, killSignal: 'SIGKILL'});
		let output = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
		});
		await new Promise<void>((resolve, reject) => {
			child.on('error', error => {
				// Aborted by the timeout, which has already answered.
				if (error.name !== 'AbortError') {
					reject(error);
				}
			});
			child.on('close', (code, killedBy) => {
				if (output === 'ok') {
					resolve();
				} else {
					reject(new Error(output || (killedBy ? `the keychain probe died of ${killedBy}` : `the keychain probe exited with ${code}`)));
				}
			});
		});
	};
}

/** A call that did not answer in time (as opposed to one that answered with an error). */
class KeychainTimeoutError extends KeychainUnavailableError {}

async function withTimeout<T>(operation: string, run: () => Promise<T>, timeoutMs: number, onTimeout?: () => void): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			onTimeout?.();
			reject(new KeychainTimeoutError(`no answer from the Secret Service within ${formatDuration(timeoutMs)}`, {
				fix: 'Check that the Secret Service runs and answers (e.g. restart gnome-keyring-daemon, or run inside a fresh `dbus-run-session`).',
			}));
		}, timeoutMs);
	});
	try {
		return await Promise.race([run(), timeout]);
	} catch (error) {
		if (error instanceof KeychainUnavailableError) {
			throw error;
		}

		throw unavailable(operation, error);
	} finally {
		clearTimeout(timer);
	}
}

// Messages seen from keytar/libsecret on Linux: "Cannot autolaunch D-Bus without X11 $DISPLAY" (no session bus),
// "Could not connect: No such file or directory" (stale DBUS_SESSION_BUS_ADDRESS), "The name org.freedesktop.secrets
// was not provided by any .service files" (bus without a keyring), and "Object does not exist at path
// /org/freedesktop/secrets/collection/login" (keyring without a default collection, whose creation needs a GUI prompt).
// "Cannot create an item in a locked collection" is a locked "login" keyring (gnome-keyring 46).
function unavailable(operation: string, error: unknown): KeychainUnavailableError {
	const message = messageOf(error);
	if (/d-?bus|could not connect|org\.freedesktop\.secrets was not provided/i.test(message)) {
		return new KeychainUnavailableError(`no Secret Service on D-Bus (${message})`, {cause: error});
	}

	if (/locked/i.test(message)) {
		return new KeychainUnavailableError('the keyring is locked', {cause: error, fix: unlockFix});
	}

	if (/collection|prompt|dismissed/i.test(message)) {
		return new KeychainUnavailableError(`the Secret Service has no unlocked default keyring (${message})`, {cause: error});
	}

	return new KeychainUnavailableError(`the keychain ${operation} failed (${message})`, {cause: error});
}

const unlockFix = 'Unlock it and run this again: at a desktop, `secret-tool search --unlock service lp-onboard` (or Passwords and Keys); '
	+ 'over SSH, `read -rs PW && printf %s "$PW" | gnome-keyring-daemon --replace --unlock`.';

/** How a timeout reads in messages: `50 ms`, `1.5 s`, `3 s`. */
export function formatDuration(ms: number): string {
	return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

function messageOf(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).trim() || 'unknown error';
}

function isModuleNotFound(error: unknown): boolean {
	return (
		error instanceof Error
		&& 'code' in error
		&& (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')
		&& error.message.includes('keytar')
	);
}

function isKeytarLike(value: Partial<KeytarLike> | undefined): value is KeytarLike {
	return (
		typeof value?.getPassword === 'function'
		&& typeof value.setPassword === 'function'
		&& typeof value.deletePassword === 'function'
	);
}
