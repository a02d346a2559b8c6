import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, test} from 'node:test';
import {promisify} from 'node:util';
import {configSecretIndex, createConfigStore} from '../../source/config/config-store.js';
import {KeychainUnavailableError} from '../../source/errors.js';
import {createKeychainStore, formatDuration, type KeytarHandle, keytarPath, startKeytarHelper} from '../../source/secrets/keytar-store.js';
import {type SecretKey, secretAccount} from '../../source/secrets/secret-store.js';
import {secretStoreContract} from './contract.js';

const run = promisify(execFile);
const key: SecretKey = {profile: 'default', accountId: '12345678', name: 'appKey'};
const root = await mkdtemp(join(tmpdir(), 'lp-keytar-store-'));
after(async () => rm(root, {recursive: true, force: true}));
let counter = 0;
/** A config store of its own for each store under test, holding the item index. */
const freshConfig = () => createConfigStore(join(root, String(counter++), 'config.json'));
const freshIndex = () => configSecretIndex(freshConfig());

// The real keychain is only touched inside scripts/with-keyring.sh, which starts a throwaway gnome-keyring.
secretStoreContract(
	'keychain',
	async () => ({
		store: await createKeychainStore({nodePath: process.execPath, index: freshIndex(), env: process.env}),
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

function fakeKeytar(overrides: Partial<KeytarHandle> = {}): KeytarHandle & {kills: number} {
	const items = new Map<string, string>();
	return {
		kills: 0,
		kill() {
			this.kills++;
		},
		async getPassword(service, account) {
			return items.get(`${service}\0${account}`) ?? null;
		},
		async setPassword(service, account, password) {
			items.set(`${service}\0${account}`, password);
		},
		async deletePassword(service, account) {
			return items.delete(`${service}\0${account}`);
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
	const keytar = fakeKeytar({setPassword: never});
	await rejectsWithReason(
		createKeychainStore({nodePath: process.execPath, index: freshIndex(), env: {}, timeoutMs: 50, load: async () => keytar}),
		/no answer from the Secret Service within 50 ms/,
	);
	assert.ok(Date.now() - started < 1000);
	// The hung call is ended, so it cannot hold the process.
	assert.equal(keytar.kills, 1);
});

test('timeouts read as milliseconds below a second and as seconds above', () => {
	assert.equal(formatDuration(50), '50 ms');
	assert.equal(formatDuration(1500), '1.5 s');
	assert.equal(formatDuration(3000), '3 s');
});

test('after one call timed out, every later call fails at once instead of waiting again', async () => {
	let calls = 0;
	const store = await createKeychainStore({
		nodePath: process.execPath,
		index: freshIndex(),
		env: {},
		timeoutMs: 50,
		load: async () => fakeKeytar({
			async getPassword() {
				calls++;
				return never();
			},
		}),
	});
	await rejectsWithReason(store.get(key), /within 50 ms/);
	await rejectsWithReason(store.set(key, 'value'), /within 50 ms/);
	await rejectsWithReason(store.delete(key), /within 50 ms/);
	await rejectsWithReason(store.get(key), /within 50 ms/);
	assert.equal(calls, 1);
});

test('a locked keyring is told apart at the probe, with how to unlock it', async () => {
	await assert.rejects(
		createKeychainStore({
			nodePath: process.execPath,
			index: freshIndex(),
			env: {},
			load: async () => fakeKeytar({
				async setPassword() {
					throw new Error('Cannot create an item in a locked collection');
				},
			}),
		}),
		(error: unknown) => {
			assert.ok(error instanceof KeychainUnavailableError);
			assert.match(error.message, /the keyring is locked/);
			assert.match(error.hint ?? '', /gnome-keyring-daemon --replace --unlock/);
			assert.equal(error.exitCode, 6);
			return true;
		},
	);
});

test('each store probes with an item of its own process, and leaves no item behind', async () => {
	const written: string[] = [];
	const keytar = fakeKeytar();
	const recording = {
		...keytar,
		async setPassword(service: string, account: string, password: string) {
			written.push(account);
			await keytar.setPassword(service, account, password);
		},
	};
	await createKeychainStore({nodePath: process.execPath, index: freshIndex(), env: {}, load: async () => recording});
	await createKeychainStore({nodePath: process.execPath, index: freshIndex(), env: {}, load: async () => recording});
	assert.equal(written.length, 2);
	for (const account of written) {
		assert.match(account, new RegExp(`^lp-onboard-probe-${process.pid}-[\\da-f]{8}$`));
		assert.equal(await keytar.getPassword('lp-onboard', account), null, `${account} is removed`);
	}

	assert.notEqual(written[0], written[1], 'two stores never share a probe item');
});

test('a probe whose write fails still removes its item', async () => {
	const deleted: string[] = [];
	await assert.rejects(createKeychainStore({
		nodePath: process.execPath,
		index: freshIndex(),
		env: {},
		load: async () => fakeKeytar({
			async setPassword() {
				throw new Error('Cannot create an item in a locked collection');
			},
			async deletePassword(_service, account) {
				deleted.push(account);
				return false;
			},
		}),
	}), {message: /the keyring is locked/});
	assert.equal(deleted.length, 1);
	assert.match(deleted[0]!, /^lp-onboard-probe-\d+-/);
});

test('a missing keytar module is reported as not installed, with how to build it', async () => {
	const missing = createKeychainStore({nodePath: process.execPath, index: freshIndex(), env: {}, load: async () => undefined});
	await rejectsWithReason(missing, /keytar, the module lp-onboard talks to the keychain with, is not installed/);
	await assert.rejects(createKeychainStore({nodePath: process.execPath, index: freshIndex(), env: {}, load: async () => undefined}), {hint: /npm rebuild keytar/});
});

test('a keytar that fails to load names the loader error', async () => {
	await rejectsWithReason(
		createKeychainStore({
			nodePath: process.execPath,
			index: freshIndex(),
			env: {},
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
			nodePath: process.execPath,
			index: freshIndex(),
			env: {},
			load: async () =>
				fakeKeytar({
					async setPassword() {
						throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
					},
				}),
		}),
		/no Secret Service on D-Bus/,
	);
});

test('a keyring without a default collection is reported when it is opened', async () => {
	await rejectsWithReason(createKeychainStore({
		nodePath: process.execPath,
		index: freshIndex(),
		env: {},
		load: async () =>
			fakeKeytar({
				async setPassword() {
					throw new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”');
				},
			}),
	}), /no unlocked default keyring/);
});

test('items are stored under service lp-onboard and account PROFILE/ACCOUNT_ID/NAME, and their names in config.json', async () => {
	const keytar = fakeKeytar();
	const config = freshConfig();
	const store = await createKeychainStore({nodePath: process.execPath, index: configSecretIndex(config), env: {}, load: async () => keytar});
	await store.set(key, 'app-key');
	assert.equal(store.kind, 'keychain');
	assert.equal(await keytar.getPassword('lp-onboard', 'default/12345678/appKey'), 'app-key');
	assert.deepEqual(await store.list({profile: 'default'}), [key]);
	assert.deepEqual((await config.profile('default'))?.keychainItems, ['12345678/appKey']);
	await store.delete(key);
	assert.deepEqual(await store.list({profile: 'default'}), []);
	assert.equal((await config.profile('default'))?.keychainItems, undefined);
});

test('list reads the index, never the keychain, and ignores items it did not write', async () => {
	const keytar = fakeKeytar();
	await keytar.setPassword('lp-onboard', 'default/1/appKey', 'x');
	const config = freshConfig();
	await config.update('default', {keychainItems: ['2/appSecret', 'not-an-item']});
	const store = await createKeychainStore({nodePath: process.execPath, index: configSecretIndex(config), env: {}, load: async () => keytar});
	assert.deepEqual(await store.list({profile: 'default'}), [{profile: 'default', accountId: '2', name: 'appSecret'}]);
	assert.deepEqual(await store.list({profile: 'other'}), []);
});

const keytarInstalled = keytarPath() !== undefined;

test(
	'the real keytar fails fast and names D-Bus when the session bus is unreachable',
	{skip: keytarInstalled ? false : 'keytar is not installed'},
	async () => {
		const module = fileURLToPath(new URL('../../source/secrets/keytar-store.ts', import.meta.url));
		const script = `import {createKeychainStore} from ${JSON.stringify(module)};
			createKeychainStore({nodePath: process.execPath, index: {}, env: process.env}).then(() => console.log('available'), error => console.log(error.name, error.message));`;
		const {stdout} = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
			env: {...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: ''},
			timeout: 10_000,
		});
		assert.match(stdout, /^KeychainUnavailableError The OS keychain is not available: no Secret Service on D-Bus/);
	},
);

test(
	'the keytar helper process gets the D-Bus address but no LP_* value',
	{skip: process.platform === 'linux' && keytarInstalled ? false : 'needs Linux (/proc) and keytar'},
	async () => {
		const helper = await startKeytarHelper({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', LP_APP_SECRET: 'secret-value-0123456789', LP_PASSWORD: 'hunter2'}, process.execPath);
		try {
			// The helpers are this process's children whose command line runs keytar.
			const children = (await readdir('/proc')).filter(entry => /^\d+$/.test(entry));
			const environs: string[] = [];
			for (const pid of children) {
				try {
					const [stat, cmdline] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
					if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid && cmdline.includes('keytar')) {
						environs.push(await readFile(`/proc/${pid}/environ`, 'utf8'));
					}
				} catch {}
			}

			// Other tests in this file may have helpers running too: this one is told by its bus address.
			const ours = environs.filter(environ => environ.includes('/nonexistent/bus'));
			assert.equal(ours.length, 1);
			// Node adds the IPC channel's own two variables.
			assert.deepEqual(ours[0]!.split('\0').filter(Boolean).sort(), ['DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus', 'NODE_CHANNEL_FD=3', 'NODE_CHANNEL_SERIALIZATION_MODE=json']);
		} finally {
			helper?.kill();
		}
	},
);
