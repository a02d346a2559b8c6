/*
Secret-leak scan through the real CLI (`node dist/cli.js`). The demo key values are constants the sandbox prints by design, so
each test seeds the `--sandbox` state file with an API key and an admin password of its own (random, distinctive values) for
account 12345678. Then it runs the wizard, provision, status, status --json, auth header, domains, logout and error paths, and
scans stdout, stderr, the argv of the CLI and of every process it started (/proc while it runs), and every file under the temp
HOME and XDG dirs. No secret value may appear whole anywhere, with two documented exceptions:
- `sandbox-state.json` is the sandbox's own server-side database (it must know the key to verify signatures); it is not
  something lp-onboard writes for the user, so it is left out of the file scan.
- `auth header` prints the OAuth header, and that header carries oauth_consumer_key (the app key) and oauth_token (the access
  token) by design: that is the product. Its stdout may hold those two; the app secret, the access token secret and the
  password must never appear there either.
With --insecure-storage, the four key values may be in the credentials file only, and that file is 0600.
*/
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {mkdir, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {createAccounts, persistState} from '../../source/sandbox/state.js';
import {createDemoData} from '../../source/sandbox/seed.js';
import {createCliEnv, plainEnv, runCli as runToEnd, type CliResult, type RunCliOptions, type TempDirs as TempHome} from '../support/cli.js';

/** Every run of this scan also reads the process table, for secrets in an argv. */
async function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
	return runToEnd(args, {...options, watchArgv: true});
}

const accountId = '12345678';
const keychain = process.env['LP_TEST_KEYCHAIN'] === '1' && Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']);
const noBus = 'unix:path=/nonexistent/lp-onboard-no-bus';

type Secrets = {appKey: string; appSecret: string; accessToken: string; accessTokenSecret: string; password: string};

function distinctive(label: string): string {
	return `${label}${randomBytes(12).toString('hex')}`;
}

function newSecrets(): Secrets {
	return {
		appKey: distinctive('leakappkey'),
		appSecret: distinctive('leakappsecret'),
		accessToken: distinctive('leakaccesstoken'),
		accessTokenSecret: distinctive('leaktokensecret'),
		password: distinctive('leakpassword'),
	};
}

/** Writes the state file `--sandbox` reads: the seed, with account 12345678's key and admin password replaced by `secrets`. */
async function seedSandbox(home: TempHome, secrets: Secrets): Promise<void> {
	const accounts = createAccounts(createDemoData(), 0, new Date().toISOString());
	const account = accounts.get(accountId)!;
	account.apiKeys.splice(0, account.apiKeys.length, {
		appKey: secrets.appKey, appSecret: secrets.appSecret, accessToken: secrets.accessToken, accessTokenSecret: secrets.accessTokenSecret,
	});
	account.users.find(user => user.loginName === 'admin')!.password = secrets.password;
	await mkdir(home.stateDir, {recursive: true});
	await writeFile(join(home.stateDir, 'sandbox-state.json'), JSON.stringify(persistState(accounts, new Map())), {mode: 0o600});
}

function keyEnv(secrets: Secrets): Record<string, string> {
	return {LP_APP_KEY: secrets.appKey, LP_APP_SECRET: secrets.appSecret, LP_ACCESS_TOKEN: secrets.accessToken, LP_ACCESS_TOKEN_SECRET: secrets.accessTokenSecret};
}

/** How many characters of a secret's random part count as a leak: a redacted preview shows 4 of a whole value, at most. */
const leakWindow = 8;

/**
Neither a whole value nor any `leakWindow` characters in a row of its random part (the 24 hex digits after the label):
a message that showed half a secret, or a preview that showed too much of it, is a leak too.
*/
function assertClean(where: string, text: string, values: readonly string[]) {
	for (const value of values) {
		assert.equal(text.includes(value), false, `a secret value (${value.replace(/[0-9a-f]{24}$/, '…')}) appears in ${where}`);
		const random = /[0-9a-f]{24}$/.exec(value)?.[0] ?? value;
		for (let start = 0; start + leakWindow <= random.length; start++) {
			const part = random.slice(start, start + leakWindow);
			assert.equal(text.includes(part), false, `part of a secret (${value.replace(/[0-9a-f]{24}$/, '…')}, characters ${start}+) appears in ${where}`);
		}
	}
}

function allOf(secrets: Secrets): string[] {
	return Object.values(secrets);
}

function assertRunClean(name: string, result: CliResult, secrets: Secrets, stdoutAllowed: readonly string[] = []) {
	assertClean(`${name}: stderr`, result.stderr, allOf(secrets));
	assertClean(`${name}: stdout`, result.stdout, allOf(secrets).filter(value => !stdoutAllowed.includes(value)));
	const argvs = result.argvs ?? [];
	assert.ok(argvs.length > 0 || process.platform !== 'linux', 'the process table was read');
	for (const argv of argvs) {
		assertClean(`${name}: argv ${argv.slice(0, 60)}`, argv, allOf(secrets));
	}
}

/** Every file under the temp HOME/XDG dirs but the sandbox's own database; the credentials file only where allowed. */
async function assertFilesClean(name: string, home: TempHome, secrets: Secrets, {credentialsFileMayHoldKey}: {credentialsFileMayHoldKey: boolean}) {
	const files = await home.files();
	assert.ok(files.size > 0);
	for (const [path, content] of files) {
		if (path === 'state/lp-onboard/sandbox-state.json') {
			continue;
		}

		// Every command here runs with --sandbox, whose credentials file is the sandbox's own.
		if (path === 'config/lp-onboard/sandbox/credentials.json' && credentialsFileMayHoldKey) {
			assertClean(`${name}: ${path}`, content, [secrets.password]);
			assert.equal((await stat(join(home.root, path))).mode & 0o777, 0o600, 'the credentials file is 0600');
			continue;
		}

		assertClean(`${name}: ${path}`, content, allOf(secrets));
	}
}

async function setup(t: TestContext) {
	const home = await createCliEnv(t, 'lp-leak-');
	const secrets = newSecrets();
	await seedSandbox(home, secrets);
	return {home, secrets};
}

for (const storage of ['keychain', 'insecure-storage'] as const) {
	test(`no secret leaks through any command (${storage})`, {timeout: 180_000, skip: storage === 'keychain' && !keychain ? 'no test keychain (run under scripts/with-keyring.sh)' : false}, async t => {
		const {home, secrets} = await setup(t);
		const profile = `leak-${randomBytes(4).toString('hex')}`;
		const env = {
			...home.env,
			...plainEnv,
			DBUS_SESSION_BUS_ADDRESS: storage === 'keychain' ? process.env['DBUS_SESSION_BUS_ADDRESS']! : noBus,
			LP_PROFILE: profile,
		};
		const storageFlags = storage === 'insecure-storage' ? ['--insecure-storage'] : [];
		const check = async (name: string, args: string[], extraEnv: Record<string, string>, expectedCode: number, stdoutAllowed: string[] = []) => {
			const result = await runCli(args, {env: {...env, ...extraEnv}, timeoutMs: 60_000});
			assert.equal(result.code, expectedCode, `${name}: exit code\n${result.stderr}`);
			assertRunClean(name, result, secrets, stdoutAllowed);
			await assertFilesClean(name, home, secrets, {credentialsFileMayHoldKey: storage === 'insecure-storage'});
			return result;
		};

		t.after(async () => {
			// Leave the shared test keychain as it was, even when an assertion failed half-way.
			await runCli(['logout', '--sandbox'], {env, timeoutMs: 30_000});
		});

		const wizard = await check('wizard', ['--sandbox', '--account', accountId, '--username', 'admin', '--yes', '--timeout', '5', ...storageFlags], {...keyEnv(secrets), LP_PASSWORD: secrets.password}, 0);
		assert.match(wizard.stderr, /You are set up/);
		if (storage === 'insecure-storage') {
			const files = await home.files();
			const credentials = files.get('config/lp-onboard/sandbox/credentials.json') ?? '';
			for (const value of [secrets.appKey, secrets.appSecret, secrets.accessToken, secrets.accessTokenSecret]) {
				assert.ok(credentials.includes(value), 'the four values are in the credentials file');
			}
		} else {
			assert.equal((await home.files()).has('config/lp-onboard/sandbox/credentials.json'), false, 'no credentials file with a keychain');
		}

		const again = await check('wizard --json (a re-run)', ['--sandbox', '--json', '--timeout', '5', ...storageFlags], {}, 0);
		assert.equal(JSON.parse(again.stdout).accountId, accountId);
		await check('provision', ['provision', '--sandbox', '--account', accountId, '--username', 'admin', '--yes', '--timeout', '5'], {LP_PASSWORD: secrets.password}, 0);
		const status = await check('status', ['status', '--sandbox', '--timeout', '5'], {}, 0);
		assert.match(status.stdout, /12345678/);
		const json = await check('status --json', ['status', '--sandbox', '--json', '--timeout', '5'], {}, 0);
		JSON.parse(json.stdout);
		const header = await check(
			'auth header',
			['auth', 'header', 'GET', `http://va.accountconfigreadonly.sandbox.test/api/account/${accountId}/configuration/le-users/users?v=4.0`, '--sandbox'],
			{},
			0,
			[secrets.appKey, secrets.accessToken],
		);
		assert.match(header.stdout, /^Authorization: OAuth /m);
		assert.ok(header.stdout.includes(secrets.appKey), 'the header carries the consumer key, by design');
		await check('domains', ['domains', '--sandbox', '--account', accountId, '--timeout', '5'], {}, 0);
		await check('logout', ['logout', '--sandbox'], {}, 0);
		const files = await home.files();
		assert.ok(![...files.entries()].some(([path, content]) => path !== 'state/lp-onboard/sandbox-state.json' && content.includes(secrets.appSecret)), 'logout leaves no key value behind');
	});
}

test('no secret leaks on error paths (a rejected key, missing input, no keychain) nor without a keychain', {timeout: 120_000}, async t => {
	const {home, secrets} = await setup(t);
	const env = {...home.env, ...plainEnv, DBUS_SESSION_BUS_ADDRESS: noBus};
	const wrongSecret = distinctive('leakwrongsecret');
	const scan = {...secrets, wrongSecret} as unknown as Secrets;
	const base = ['--sandbox', '--account', accountId, '--username', 'admin', '--yes', '--timeout', '5'];
	const cases: Array<{name: string; args: string[]; env: Record<string, string>; code: number; stderr: RegExp}> = [
		{name: 'a rejected key (401)', args: [...base, '--insecure-storage'], env: {...keyEnv(secrets), LP_APP_SECRET: wrongSecret, LP_PASSWORD: secrets.password}, code: 4, stderr: /rejected the API key/},
		{name: 'missing input', args: [...base, '--insecure-storage'], env: {LP_APP_KEY: secrets.appKey, LP_APP_SECRET: secrets.appSecret, LP_ACCESS_TOKEN: secrets.accessToken, LP_PASSWORD: secrets.password}, code: 3, stderr: /LP_ACCESS_TOKEN_SECRET/},
		{name: 'no keychain, part of the key in env', args: base, env: {LP_APP_KEY: secrets.appKey, LP_APP_SECRET: secrets.appSecret, LP_ACCESS_TOKEN: secrets.accessToken, LP_PASSWORD: secrets.password}, code: 6, stderr: /keychain is not available/},
		{name: 'no keychain, the whole key in env (nothing stored)', args: base, env: {...keyEnv(secrets), LP_PASSWORD: secrets.password}, code: 0, stderr: /nothing is stored/},
		{name: 'auth header with a wrong URL', args: ['auth', 'header', 'GET', 'not-a-url'], env: keyEnv(secrets), code: 2, stderr: /URL/},
		{name: 'provision refused password', args: ['provision', '--sandbox', '--account', accountId, '--username', 'admin', '--yes', '--timeout', '5'], env: {LP_PASSWORD: wrongSecret}, code: 4, stderr: /✖/},
	];
	for (const {name, args, env: extra, code, stderr} of cases) {
		// Its own profile: an --insecure-storage run remembers the file store for its profile.
		const result = await runCli(args, {env: {...env, LP_PROFILE: `leak-${randomBytes(4).toString('hex')}`, ...extra}, timeoutMs: 60_000});
		assert.equal(result.code, code, `${name}: exit code\n${result.stderr}`);
		assert.match(result.stderr, stderr, name);
		assertRunClean(name, result, scan);
		await assertFilesClean(name, home, scan, {credentialsFileMayHoldKey: false});
	}
});
