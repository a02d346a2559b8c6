import {KeychainUnavailableError} from '../errors.js';
import {filterSecretAccounts, type ListableSecretStore, secretAccount, secretService} from './secret-store.js';

/** The part of keytar's API this store uses. `@napi-rs/keyring/keytar` has the same shape. */
export type KeytarLike = {
	getPassword(service: string, account: string): Promise<string | null>;
	setPassword(service: string, account: string, password: string): Promise<void>;
	deletePassword(service: string, account: string): Promise<boolean>;
	findCredentials(service: string): Promise<Array<{account: string; password: string}>>;
};

export type KeychainOptions = {
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
through the wizard. Every call gives up after `timeoutMs` with a `KeychainUnavailableError`.
*/
export async function createKeychainStore(options: KeychainOptions = {}): Promise<ListableSecretStore> {
	const {service = secretService, timeoutMs = 3000, load = loadKeytar} = options;

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
	const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => withTimeout(operation, run, timeoutMs);

	// Listing is read-only and never asks to unlock anything, so it is a safe probe. A store that has no default
	// collection still answers it; that case surfaces on the first `set` with its own reason.
	await call('probe', async () => keychain.findCredentials(service));

	return {
		kind: 'keychain',
		async get(key) {
			return (await call('read', async () => keychain.getPassword(service, secretAccount(key)))) ?? undefined;
		},
		async set(key, value) {
			await call('store', async () => keychain.setPassword(service, secretAccount(key), value));
		},
		async delete(key) {
			return call('delete', async () => keychain.deletePassword(service, secretAccount(key)));
		},
		async list(filter) {
			const credentials = await call('list', async () => keychain.findCredentials(service));
			return filterSecretAccounts(
				credentials.map(({account}) => account),
				filter,
			);
		},
	};
}

async function withTimeout<T>(operation: string, run: () => Promise<T>, timeoutMs: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			reject(new KeychainUnavailableError(`no answer from the Secret Service within ${formatDuration(timeoutMs)}`));
		}, timeoutMs);
	});
	try {
		return await Promise.race([run(), timeout]);
	} catch (error) {
		if (error instanceof KeychainUnavailableError) {
			throw error;
		}

		throw new KeychainUnavailableError(reasonFor(operation, error), {cause: error});
	} finally {
		clearTimeout(timer);
	}
}

// Messages seen from keytar/libsecret on Linux: "Cannot autolaunch D-Bus without X11 $DISPLAY" (no session bus),
// "Could not connect: No such file or directory" (stale DBUS_SESSION_BUS_ADDRESS), "The name org.freedesktop.secrets
// was not provided by any .service files" (bus without a keyring), and "Object does not exist at path
// /org/freedesktop/secrets/collection/login" (keyring without a default collection, whose creation needs a GUI prompt).
function reasonFor(operation: string, error: unknown): string {
	const message = messageOf(error);
	if (/d-?bus|could not connect|org\.freedesktop\.secrets was not provided/i.test(message)) {
		return `no Secret Service on D-Bus (${message})`;
	}

	if (/collection|locked|prompt|dismissed/i.test(message)) {
		return `the Secret Service has no unlocked default keyring (${message})`;
	}

	return `the keychain ${operation} failed (${message})`;
}

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
		&& typeof value.findCredentials === 'function'
	);
}
