import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {KeychainUnavailableError} from '../../source/errors.js';
import {createKeychainStore, formatDuration, type KeytarLike, loadKeytar} from '../../source/secrets/keytar-store.js';
import {type SecretKey, secretAccount} from '../../source/secrets/secret-store.js';
import {secretStoreContract} from './contract.js';

const run = promisify(execFile);
const key: SecretKey = {profile: 'default', accountId: '12345678', name: 'appKey'};

// The real keychain is only touched inside scripts/with-keyring.sh, which starts a throwaway gnome-keyring.
secretStoreContract(
	'keychain',
	async () => ({
		store: await createKeychainStore(),
		// keytar on Linux stores the attributes `service` and `account`; secret-tool reads them independently of keytar.
		async inspect(item) {
			try {
				const {stdout} = await run('secret-tool', ['lookup', 'service', 'lp-onboard', 'account', secretAccount(item)]);
				return stdout;
			} catch (error) {
				if (error instanceof Error && 'code' in error && error.code === 1) {
					return undefined;
				}

				throw error;
			}
		},
	}),
	{
		skip:
			process.env['LP_TEST_KEYCHAIN'] === '1'
				? false
				: 'needs a Secret Service: run `scripts/with-keyring.sh node scripts/test.js`, which sets LP_TEST_KEYCHAIN=1',
	},
);

function fakeKeytar(overrides: Partial<KeytarLike> = {}): KeytarLike {
	const items = new Map<string, string>();
	return {
		async getPassword(service, account) {
			return items.get(`${service}\0${account}`) ?? null;
		},
		async setPassword(service, account, password) {
			items.set(`${service}\0${account}`, password);
		},
		async deletePassword(service, account) {
			return items.delete(`${service}\0${account}`);
		},
		async findCredentials(service) {
			return [...items]
				.filter(([id]) => id.startsWith(`${service}\0`))
				.map(([id, password]) => ({account: id.slice(service.length + 1), password}));
		},
		...overrides,
	};
}

const never = async () => new Promise<never>(() => {});

async function rejectsWithReason(promise: Promise<unknown>, reason: RegExp): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(error instanceof KeychainUnavailableError, String(error));
		assert.match(error.message, reason);
		assert.match(error.hint ?? '', /--insecure-storage/);
		return true;
	});
}

test('a keychain that never answers the probe fails with a timeout reason', async () => {
	const started = Date.now();
	await rejectsWithReason(
		createKeychainStore({timeoutMs: 50, load: async () => fakeKeytar({findCredentials: never})}),
		/no answer from the Secret Service within 50 ms/,
	);
	assert.ok(Date.now() - started < 1000);
});

test('timeouts read as milliseconds below a second and as seconds above', () => {
	assert.equal(formatDuration(50), '50 ms');
	assert.equal(formatDuration(1500), '1.5 s');
	assert.equal(formatDuration(3000), '3 s');
});

test('every call after the probe has its own timeout', async () => {
	const store = await createKeychainStore({
		timeoutMs: 50,
		load: async () => fakeKeytar({getPassword: never, setPassword: never, deletePassword: never}),
	});
	await rejectsWithReason(store.get(key), /within 50 ms/);
	await rejectsWithReason(store.set(key, 'value'), /within 50 ms/);
	await rejectsWithReason(store.delete(key), /within 50 ms/);
});

test('a missing keytar module is reported as not installed', async () => {
	await rejectsWithReason(createKeychainStore({load: async () => undefined}), /keytar is not installed/);
});

test('a keytar that fails to load names the loader error', async () => {
	await rejectsWithReason(
		createKeychainStore({
			async load() {
				throw new Error('libsecret-1.so.0: cannot open shared object file');
			},
		}),
		/could not be loaded \(libsecret-1\.so\.0/,
	);
});

test('no session bus is reported as no Secret Service on D-Bus', async () => {
	await rejectsWithReason(
		createKeychainStore({
			load: async () =>
				fakeKeytar({
					async findCredentials() {
						throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
					},
				}),
		}),
		/no Secret Service on D-Bus/,
	);
});

test('a keyring without a default collection is reported when storing', async () => {
	const store = await createKeychainStore({
		load: async () =>
			fakeKeytar({
				async setPassword() {
					throw new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”');
				},
			}),
	});
	await rejectsWithReason(store.set(key, 'value'), /no unlocked default keyring/);
});

test('items are stored under service lp-onboard and account PROFILE/ACCOUNT_ID/NAME', async () => {
	const keytar = fakeKeytar();
	const store = await createKeychainStore({load: async () => keytar});
	await store.set(key, 'app-key');
	assert.equal(store.kind, 'keychain');
	assert.equal(await keytar.getPassword('lp-onboard', 'default/12345678/appKey'), 'app-key');
	assert.deepEqual(await store.list({profile: 'default'}), [key]);
});

test('list ignores items of the service that lp-onboard did not write', async () => {
	const keytar = fakeKeytar();
	await keytar.setPassword('lp-onboard', 'something-else', 'x');
	await keytar.setPassword('lp-onboard', 'a/b/notASecretName', 'x');
	await keytar.setPassword('other-service', 'default/1/appKey', 'x');
	const store = await createKeychainStore({load: async () => keytar});
	assert.deepEqual(await store.list(), []);
});

const keytarInstalled = (await loadKeytar().catch(() => undefined)) !== undefined;

test(
	'the real keytar fails fast and names D-Bus when the session bus is unreachable',
	{skip: keytarInstalled ? false : 'keytar is not installed'},
	async () => {
		const module = fileURLToPath(new URL('../../source/secrets/keytar-store.ts', import.meta.url));
		const script = `import {createKeychainStore} from ${JSON.stringify(module)};
			createKeychainStore().then(() => console.log('available'), error => console.log(error.name, error.message));`;
		const {stdout} = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
			env: {...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: ''},
			timeout: 10_000,
		});
		assert.match(stdout, /^KeychainUnavailableError The OS keychain is not available: no Secret Service on D-Bus/);
	},
);
