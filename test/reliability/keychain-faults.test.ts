// The real keychain when it cannot help: a locked gnome-keyring (keytar's findCredentials used to SIGSEGV on it) and a
// stopped one (every call hangs until D-Bus gives up). Each test has a private keyring, through dist/cli.js.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {createCliEnv, runCli, type CliResult} from '../support/cli.js';
import {keychainProfile} from '../support/keychain-profile.js';
import {privateKeyringSkip, startPrivateKeyring} from '../support/keyring.js';

const run = promisify(execFile);
// The sandbox's demo OAuth 2.0 client of account 12345678 (the default kind of credentials).
const demo = {
	LP_CLIENT_ID: 'c3a1f7e2-5d4b-4e8a-9f10-123456780001',
	LP_CLIENT_SECRET: 'b7e4c1d9a2f85e3c6d0a9b8e7f6c5d4a',
};
const url = 'https://va.example.liveperson.net/api/account/12345678/configuration/le-users/users?v=6.0';

type Status = {credentials: Record<string, {source: string}>; warnings: string[]; signedCallDetail?: string};

function assertNoCrash(result: CliResult, what: string) {
	assert.equal(result.signal, null, `${what} died of ${result.signal}`);
	assert.doesNotMatch(result.stderr, /Unexpected error|This is a bug/, what);
}

test('a locked keyring: every command that opens it says it is locked and how to unlock it; none crashes', {skip: privateKeyringSkip}, async t => {
	const {dirs, keyring, env} = await keychainProfile(t);
	await keyring.lock();
	assert.equal(await keyring.isLocked(), true);

	const status = await runCli(['status', '--json', '--sandbox', '--profile', 'p'], {env});
	assertNoCrash(status, 'status');
	assert.equal(status.code, 6, status.stderr);
	const report = JSON.parse(status.stdout) as Status;
	for (const field of ['clientId', 'clientSecret']) {
		assert.equal(report.credentials[field]?.source, 'unavailable', field);
	}

	assert.ok(report.warnings.some(warning => /keyring is locked/.test(warning) && /gnome-keyring-daemon --replace --unlock/.test(warning)), report.warnings.join('\n'));
	const plain = await runCli(['status', '--sandbox', '--profile', 'p'], {env});
	assert.match(plain.stdout, /Client id: +not read/);
	assert.match(plain.stdout, /Client secret: +not read/);
	assert.doesNotMatch(plain.stdout, /missing/);

	const doctor = await runCli(['doctor', '--json', '--sandbox'], {env});
	assertNoCrash(doctor, 'doctor');
	const keychainCheck = (JSON.parse(doctor.stdout) as Array<{name: string; ok: boolean; detail: string; fix?: string}>).find(check => check.name === 'OS keychain');
	assert.equal(keychainCheck?.ok, false);
	assert.match(keychainCheck?.detail ?? '', /locked/);
	assert.match(keychainCheck?.fix ?? '', /--unlock/);

	for (const [what, args] of [
		['auth header', ['auth', 'header', 'GET', url, '--sandbox', '--profile', 'p']],
		['provision with the stored client', ['provision', '--sandbox', '--yes', '--account', '12345678', '--profile', 'p']],
		['logout', ['logout', '--sandbox', '--profile', 'p']],
	] as const) {
		const result = await runCli(args, {env, timeoutMs: 60_000});
		assertNoCrash(result, what);
		assert.equal(result.code, 6, `${what}: ${result.stderr}`);
		assert.match(result.stderr, /keyring is locked/, what);
		assert.match(result.stderr, /gnome-keyring-daemon --replace --unlock/, what);
		// The desktop way searches the service this run's items are under: the sandbox's own.
		assert.match(result.stderr, /`secret-tool search --unlock service lp-onboard-sandbox`/, what);
	}

	// logout refused: the profile and its index are still there, for after the unlock.
	const config = await dirs.readJson(`${dirs.sandboxConfigDir}/config.json`) as {profiles: Record<string, {keychainItems?: string[]}>};
	assert.equal(config.profiles['p']?.keychainItems?.length, 3);

	// A new profile with the whole OAuth 2.0 client in LP_*: the wizard carries on without storing anything.
	const wizard = await runCli(['--sandbox', '--skip-provisioning', '--account', '12345678', '--profile', 'fresh'], {env: {...env, ...demo}, timeoutMs: 60_000});
	assertNoCrash(wizard, 'wizard');
	assert.equal(wizard.code, 0, wizard.stderr);
	assert.match(wizard.stderr, /keyring is locked.*Using only the LP_\* environment variables/s);

	// The command the hint gives unlocks it, and the stored client is there again.
	await run('sh', ['-c', 'printf %s pw | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null'], {env: {...process.env, ...keyring.daemonEnv}});
	assert.equal(await keyring.isLocked(), false);
	const after = JSON.parse((await runCli(['status', '--json', '--sandbox', '--profile', 'p'], {env})).stdout) as Status;
	assert.equal(after.credentials['clientSecret']?.source, 'keychain');
	const logout = await runCli(['logout', '--sandbox', '--profile', 'p'], {env});
	assert.equal(logout.code, 0, logout.stderr);
	assert.match(logout.stdout, /p\/12345678\/clientSecret/);
});

test('a stopped Secret Service: commands end right after the 3 s timeout, and status says the keychain did not answer', {skip: privateKeyringSkip}, async t => {
	const {keyring, env} = await keychainProfile(t);
	process.kill(await keyring.daemonPid(), 'SIGSTOP');

	// D-Bus gives up on a call after 25 s: a run that waited for its hung call would hit these limits.
	const status = await runCli(['status', '--json', '--sandbox', '--profile', 'p'], {env, timeoutMs: 15_000});
	assertNoCrash(status, 'status');
	assert.equal(status.code, 6, status.stderr);
	const report = JSON.parse(status.stdout) as Status;
	assert.equal(report.credentials['clientId']?.source, 'unavailable');
	assert.ok(report.warnings.some(warning => /no answer from the Secret Service within 3 s/.test(warning)), report.warnings.join('\n'));

	const header = await runCli(['auth', 'header', 'GET', url, '--sandbox', '--profile', 'p'], {env, timeoutMs: 15_000});
	assertNoCrash(header, 'auth header');
	assert.equal(header.code, 6, header.stderr);
	assert.match(header.stderr, /no answer from the Secret Service within 3 s/);

	const doctor = await runCli(['doctor', '--json', '--sandbox'], {env, timeoutMs: 15_000});
	assertNoCrash(doctor, 'doctor');
	assert.match(doctor.stdout, /no answer from the Secret Service/);
});

test('a Secret Service that stops answering after the store opened: the call times out and the process still ends at once', {skip: privateKeyringSkip}, async t => {
	const keyring = await startPrivateKeyring();
	t.after(async () => keyring.close());
	const dirs = await createCliEnv(t);
	const modules = ['config/config-store', 'secrets/keytar-store'].map(name => fileURLToPath(new URL(`../../source/${name}.ts`, import.meta.url)));
	// Opens the store, says so, waits for a line on stdin, then reads one value and prints how that ended.
	const script = `import {configSecretIndex, createConfigStore} from ${JSON.stringify(modules[0])};
		import {createKeychainStore} from ${JSON.stringify(modules[1])};
		const store = await createKeychainStore({index: configSecretIndex(createConfigStore(${JSON.stringify(`${dirs.configDir}/config.json`)})), env: process.env, nodePath: process.execPath});
		console.log('opened');
		process.stdin.once('data', () => store.get({profile: 'p', accountId: '1', name: 'appKey'}).then(() => console.log('answered'), error => console.log(error.message)));`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {env: {...process.env, ...keyring.bus}, stdio: ['pipe', 'pipe', 'inherit']});
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	while (!output.includes('opened')) {
		await once(child.stdout, 'data');
	}

	process.kill(await keyring.daemonPid(), 'SIGSTOP');
	child.stdin.write('go\n');
	child.stdin.end();
	// D-Bus gives up on the hung call after 25 s; the process must not wait for it.
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
	clearTimeout(timer);
	assert.equal(signal, null, 'the process did not end by itself');
	assert.equal(code, 0);
	assert.match(output, /no answer from the Secret Service within 3 s/);
});
