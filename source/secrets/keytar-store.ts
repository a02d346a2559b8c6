import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {createRequire} from 'node:module';
import {childEnv} from '../system/child-env.js';
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

/** A keytar whose calls can be cut off: the helper process is killed after a timeout. */
export type KeytarHandle = KeytarLike & {
	/** Ends whatever call is still running. */
	kill(): void;
};

export type KeychainOptions = {
	/** Where the names of the items written are kept (config.json), for `list`. */
	readonly index: SecretIndex;
	/**
	The environment the helper process takes the few variables a keychain client needs from (`childEnv`: never an LP_*
	value).
	*/
	readonly env: Env;
	/** The Node.js binary that runs the helper (the composition root passes its own). */
	readonly nodePath: string;
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
	Starts keytar; resolves `undefined` when it is not installed. Tests pass a fake.

	@default startKeytarHelper
	*/
	readonly load?: (env: Env, nodePath: string) => Promise<KeytarHandle | undefined>;
};

/**
A `SecretStore` in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). keytar runs in
a helper process, so a hung call can be ended (a native call cannot be cancelled: it holds a libuv thread, which even
`process.exit()` waits for until D-Bus gives up after 25 s) and a crash in it cannot take lp-onboard down. The store
probes the keychain once, so an unusable keychain fails here, with a reason and a fix, rather than halfway through the
wizard. Every call gives up after `timeoutMs` with a `KeychainUnavailableError`; after one has, the keychain is taken as
hung and every later call fails at once.
*/
export async function createKeychainStore(options: KeychainOptions): Promise<ListableSecretStore> {
	const {index, env, nodePath, service = secretService, timeoutMs = 3000, load = startKeytarHelper} = options;

	let keytar: KeytarHandle | undefined;
	try {
		keytar = await load(env, nodePath);
	} catch (error) {
		throw new KeychainUnavailableError(`keytar could not be loaded (${messageOf(error)})`, {cause: error});
	}

	if (!keytar) {
		// keytar is an optional native module: npm skips it quietly when it cannot build it (no libsecret headers, no
		// compiler, no Node headers), so the fix is to build it, not to install a keyring.
		throw new KeychainUnavailableError('keytar, the module lp-onboard talks to the keychain with, is not installed', {
			fix: 'Build it in lp-onboard\'s folder with `npm rebuild keytar` (on Linux it needs libsecret-1-dev, a C++ compiler and Python; its log says what is missing).',
		});
	}

	const keychain = keytar;
	let hung: KeychainUnavailableError | undefined;
	const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
		if (hung) {
			throw hung;
		}

		try {
			return await withTimeout(operation, run, timeoutMs, service);
		} catch (error) {
			if (error instanceof KeychainTimeoutError) {
				hung = error;
				keychain.kill();
			}

			throw error;
		}
	};

	// A locked keyring answers reads with "no such item" (the values would look missing) but refuses to create an item,
	// so the probe writes and removes a throwaway one: it tells a locked keyring, a missing and a hung Secret Service
	// apart before any value is read.
	// Each process probes with an item of its own: parallel runs writing and deleting one shared item made gnome-keyring
	// fail some of them ("no unlocked default keyring"). The item is removed even when the write failed halfway.
	const probe = probeAccountFor(process.pid);
	await call('probe', async () => {
		try {
			await keychain.setPassword(service, probe, 'probe');
		} finally {
			await keychain.deletePassword(service, probe).catch(() => false);
		}
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

/**
The throwaway item of one process's probe: `lp-onboard-probe-PID-RANDOM`, so no two processes (nor two stores in one)
share it. Not of the form PROFILE/ACCOUNT_ID/NAME, so nothing mistakes it for a credential.
*/
export function probeAccountFor(pid: number): string {
	return `lp-onboard-probe-${pid}-${randomBytes(4).toString('hex')}`;
}

/** Where keytar is installed, or `undefined`: it is an optional dependency, and on Linux it needs libsecret. */
export function keytarPath(): string | undefined {
	try {
		return createRequire(import.meta.url).resolve('keytar');
	} catch {
		return undefined;
	}
}


// The helper: one keytar call per IPC message, answered with its result or its error's message. It ends when lp-onboard
// does (the IPC channel closes).
const helperScript = `let keytar, loadError;
try {
	keytar = require(process.argv[1]);
} catch (error) {
	loadError = new Error('keytar could not be loaded: ' + error.message);
}
const operations = new Set(['getPassword', 'setPassword', 'deletePassword']);
process.on('message', ({id, operation, args}) => {
	const run = loadError ? Promise.reject(loadError) : operations.has(operation) ? keytar[operation](...args) : Promise.reject(new Error('unknown operation'));
	run.then(result => process.send({id, result}), error => process.send({id, error: String(error?.message ?? error)}));
});
process.on('disconnect', () => process.exit());`;

/**
Starts keytar in a helper Node.js process over IPC; `undefined` when keytar is not installed. The helper never keeps
lp-onboard alive: a call in flight is held by its own timeout.
*/
export async function startKeytarHelper(env: Env, nodePath: string): Promise<KeytarHandle | undefined> {
	const path = keytarPath();
	if (!path) {
		return undefined;
	}

	const child = spawn(nodePath, ['-e', helperScript, path], {env: childEnv(env), stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json'});
	child.unref();
	child.channel?.unref();
	const pending = new Map<number, {resolve(value: unknown): void; reject(error: Error): void}>();
	let ended: Error | undefined;
	const end = (error: Error) => {
		ended ??= error;
		for (const {reject} of pending.values()) {
			reject(ended);
		}

		pending.clear();
	};

	child.on('message', ({id, result, error}: {id: number; result?: unknown; error?: string}) => {
		const call = pending.get(id);
		pending.delete(id);
		if (error === undefined) {
			call?.resolve(result);
		} else {
			call?.reject(new Error(error));
		}
	});
	child.on('error', end);
	child.on('exit', (code, signal) => {
		end(new Error(signal ? `the keychain helper died of ${signal}` : `the keychain helper exited with code ${code ?? 'unknown'}`));
	});
	let nextId = 0;
	const call = async <T>(
		operation: keyof KeytarLike,
		...args: string[]
	): Promise<T> => new Promise((resolve, reject) => {
		if (ended) {
			reject(ended);
			return;
		}

		const id = nextId++;
		pending.set(id, {resolve, reject});
		child.send({id, operation, args}, error => {
			if (error) {
				end(error);
			}
		});
	});
	return {
		getPassword: async (service, account) => call('getPassword', service, account),
		setPassword: async (service, account, password) => call('setPassword', service, account, password),
		deletePassword: async (service, account) => call('deletePassword', service, account),
		kill() {
			child.kill('SIGKILL');
		},
	};
}

/** A call that did not answer in time (as opposed to one that answered with an error). */
class KeychainTimeoutError extends KeychainUnavailableError {}

async function withTimeout<T>(
	operation: string,
	run: () => Promise<T>,
	timeoutMs: number,
	service: string,
): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
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

		throw unavailable(operation, error, service);
	} finally {
		clearTimeout(timer);
	}
}

// Messages seen from keytar/libsecret on Linux: "Cannot autolaunch D-Bus without X11 $DISPLAY" (no session bus),
// "Could not connect: No such file or directory" (stale DBUS_SESSION_BUS_ADDRESS), "The name org.freedesktop.secrets
// was not provided by any .service files" (bus without a keyring), and "Object does not exist at path
// /org/freedesktop/secrets/collection/login" (keyring without a default collection, whose creation needs a GUI prompt).
// "Cannot create an item in a locked collection" is a locked "login" keyring (gnome-keyring 46).
function unavailable(operation: string, error: unknown, service: string): KeychainUnavailableError {
	const message = messageOf(error);
	if (/d-?bus|could not connect|org\.freedesktop\.secrets was not provided/i.test(message)) {
		return new KeychainUnavailableError(`no Secret Service on D-Bus (${message})`, {cause: error});
	}

	if (/locked/i.test(message)) {
		return new KeychainUnavailableError('the keyring is locked', {cause: error, fix: unlockFix(service)});
	}

	if (/collection|prompt|dismissed/i.test(message)) {
		return new KeychainUnavailableError(`the Secret Service has no unlocked default keyring (${message})`, {cause: error});
	}

	return new KeychainUnavailableError(`the keychain ${operation} failed (${message})`, {cause: error});
}

/**
How to unlock the keyring: the search names the service this run's items are under (`lp-onboard-sandbox` for
`--sandbox`).
*/
const unlockFix = (service: string) => `Unlock it and run this again: at a desktop, \`secret-tool search --unlock service ${service}\` (or Passwords and Keys); `
	+ 'over SSH, `read -rs PW && printf %s "$PW" | gnome-keyring-daemon --replace --unlock`.';

/** How a timeout reads in messages: `50 ms`, `1.5 s`, `3 s`. */
export function formatDuration(ms: number): string {
	return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

function messageOf(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).trim() || 'unknown error';
}
