/*
Bad input through the real CLI (`node dist/cli.js`): account ids, key values, URLs, flags and --accounts files. Each gives
exactly one clear error (a "✖" line and a hint line under it), the documented exit code, no stack trace and no raw escape codes.
Commands that fail before doing anything print the error first; the wizard prints its progress first, so there the error must
be the last thing on stderr.
*/
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {createCliEnv, plainEnv, runCli} from '../support/cli.js';

const keychainBus = process.env['LP_TEST_KEYCHAIN'] === '1' ? process.env['DBUS_SESSION_BUS_ADDRESS'] : undefined;
const key = {LP_APP_KEY: 'k', LP_APP_SECRET: 's', LP_ACCESS_TOKEN: 't', LP_ACCESS_TOKEN_SECRET: 'u'};
const usersUrl = 'https://va.example.liveperson.net/api/account/12345678/configuration/le-users/users?v=4.0';

type Case = {
	readonly name: string;
	readonly args: readonly string[];
	readonly env?: Readonly<Record<string, string>>;
	/** Files to create in the temp dir first; `{dir}` in args is replaced by its path. */
	readonly files?: Readonly<Record<string, string | Uint8Array>>;
	readonly code: number;
	readonly message: RegExp;
	/** The wizard prints progress before the error. */
	readonly errorLast?: boolean;
};

const accountIds = ['', ' 123 ', 'ñandú', 'x'.repeat(200), '1;rm -rf /', '$(id)', '\u001B[31mred', '../..'];
const wizard = ['--sandbox', '--account', '12345678', '--skip-provisioning', '--insecure-storage', '--timeout', '1'];
const garbage = Uint8Array.from({length: 256}, (_, index) => (index * 37) % 256);

const cases: Case[] = [
	...accountIds.map(id => ({name: `domains --account ${JSON.stringify(id.slice(0, 20))}`, args: ['domains', '--account', id, '--timeout', '1'], code: 2, message: /is not a LivePerson account id/})),
	...accountIds.map(id => ({name: `the wizard with --account ${JSON.stringify(id.slice(0, 20))}`, args: ['--account', id, '--timeout', '1'], env: key, code: 2, message: /is not a LivePerson account id/})),
	{name: 'an empty LP_APP_KEY', args: [...wizard, '--auth-method', 'oauth1'], env: {...key, LP_APP_KEY: ''}, code: 3, message: /Missing App key: /, errorLast: true},
	{name: 'the wizard without a terminal, not told whether to provision', args: ['--sandbox', '--demo', '--insecure-storage', '--timeout', '5'], code: 3, message: /Missing an answer to "Provision LivePerson Functions now\?".*\n.*Pass --yes \(or LP_YES=1\) to provision, or --skip-provisioning to stop before it\./, errorLast: true},
	{name: 'no OAuth 2.0 client at all', args: wizard, code: 3, message: /Missing Client id and Client secret: .*\n.*Pass the LP_CLIENT_ID and LP_CLIENT_SECRET environment variables\./, errorLast: true},
	{name: 'a legacy key with only its app key', args: [...wizard, '--auth-method', 'oauth1'], env: {LP_APP_KEY: 'k'}, code: 3, message: /Missing Secret, Access token and Access token secret: .*\n.*Pass the LP_APP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET environment variables\./, errorLast: true},
	{name: 'a whitespace-only LP_APP_KEY', args: wizard, env: {...key, LP_APP_KEY: '   '}, code: 2, message: /LP_APP_KEY/, errorLast: true},
	{name: 'an LP_APP_KEY with a newline inside', args: wizard, env: {...key, LP_APP_KEY: 'ab\ncd'}, code: 2, message: /LP_APP_KEY: The App key contains a space, line break or control character/, errorLast: true},
	{name: 'a 10 kB LP_APP_SECRET', args: wizard, env: {...key, LP_APP_SECRET: 's'.repeat(10_240)}, code: 2, message: /LP_APP_SECRET: The Secret is longer than 1024 characters/, errorLast: true},
	{name: 'auth header with a newline inside LP_ACCESS_TOKEN', args: ['auth', 'header', 'GET', usersUrl], env: {...key, LP_ACCESS_TOKEN: 'ab\ncd'}, code: 2, message: /LP_ACCESS_TOKEN contains a space, line break or control character/},
	{name: 'auth header GET not-a-url', args: ['auth', 'header', 'GET', 'not-a-url'], env: key, code: 2, message: /not an absolute http\(s\) URL/},
	{name: 'auth header with an ftp URL', args: ['auth', 'header', 'GET', 'ftp://example.com/x'], env: key, code: 2, message: /not an absolute http\(s\) URL/},
	{name: 'auth header with a relative URL', args: ['auth', 'header', 'GET', 'api/account/1/x'], env: key, code: 2, message: /not an absolute http\(s\) URL/},
	{name: 'auth header with a path and no account', args: ['auth', 'header', 'GET', '/api/account/1/x'], env: key, code: 2, message: /is a path: which account's hosts serve it\?/},
	{name: 'auth header with a bad method', args: ['auth', 'header', 'FETCH', usersUrl], env: key, code: 2, message: /FETCH|method/i},
	{name: 'auth header without a URL', args: ['auth', 'header', 'GET'], env: key, code: 2, message: /Usage: lp-onboard auth header/},
	{name: '--csds-url with a path', args: ['domains', '--account', '12345678', '--csds-url', 'http://127.0.0.1:1/api'], code: 2, message: /--csds-url must be an http\(s\) origin/},
	{name: '--csds-url ftp://', args: ['domains', '--account', '12345678', '--csds-url', 'ftp://example.com'], code: 2, message: /--csds-url must be an http\(s\) origin/},
	{name: '--csds-url on an unreachable port', args: ['domains', '--account', '12345678', '--csds-url', 'http://127.0.0.1:1', '--timeout', '1'], code: 5, message: /connection failed/, errorLast: true},
	{name: 'an unknown flag', args: ['--bogus'], code: 2, message: /--bogus/},
	{name: 'an unknown command', args: ['frobnicate'], code: 2, message: /Unknown command "frobnicate"/},
	{name: 'a flag without its value', args: ['domains', '--account'], code: 2, message: /--account/},
	{name: '--app-secret as a flag', args: ['--app-secret', 'x'], code: 2, message: /--app-secret is not accepted/},
	{name: '--password=x as a flag', args: ['provision', '--password=x'], code: 2, message: /--password is not accepted/},
	{name: '--port 99999', args: ['sandbox', '--port', '99999'], code: 2, message: /--port must be a whole number/},
	{name: '--functions-version 3', args: ['provision', '--functions-version', '3'], code: 2, message: /--functions-version must be one of 1, 2/},
	{name: '--concurrency 0', args: ['provision', '--concurrency', '0'], code: 2, message: /--concurrency must be a whole number/},
	{name: '--timeout abc', args: ['domains', '--account', '12345678', '--timeout', 'abc'], code: 2, message: /--timeout/},
	{name: '--demo without --sandbox', args: ['--demo'], code: 2, message: /--demo only works with --sandbox/},
	{name: 'a missing --accounts file', args: ['provision', '--accounts', '{dir}/missing.txt', '--username', 'admin', '--yes'], code: 2, message: /Cannot read --accounts file .*ENOENT/},
	{name: 'an empty --accounts file', args: ['provision', '--accounts', '{dir}/empty.txt', '--username', 'admin', '--yes'], files: {'empty.txt': ''}, code: 2, message: /lists no account ids/},
	{name: 'a binary --accounts file', args: ['provision', '--accounts', '{dir}/garbage.bin', '--username', 'admin', '--yes'], files: {'garbage.bin': garbage}, code: 2, message: /Line \d+ of the accounts file/},
	{name: 'a CSV --accounts file without an account column', args: ['provision', '--accounts', '{dir}/names.csv', '--username', 'admin', '--yes'], files: {'names.csv': 'name,region\nAcme Corp,us\n'}, code: 2, message: /Line 2 of the accounts file: "Acme Corp"/},
	{name: 'an --accounts file with a bad id on line 3', args: ['provision', '--accounts', '{dir}/three.txt', '--username', 'admin', '--yes'], files: {'three.txt': '12345678\n87654321\nbad id!\n'}, code: 2, message: /Line 3 of the accounts file/},
	{name: 'an --accounts file with an escape sequence', args: ['provision', '--accounts', '{dir}/escape.txt', '--username', 'admin', '--yes'], files: {'escape.txt': '\u001B[2J\u001B[31mboom\n'}, code: 2, message: /Line 1 of the accounts file/},
];

async function run(t: TestContext, testCase: Case) {
	const home = await createCliEnv(t, 'lp-bad-input-');
	const dir = join(home.root, 'files');
	await mkdir(dir, {recursive: true});
	for (const [name, content] of Object.entries(testCase.files ?? {})) {
		await writeFile(join(dir, name), content);
	}

	const args = testCase.args.map(argument => argument.replace('{dir}', dir));
	const env = {...home.env, ...plainEnv, DBUS_SESSION_BUS_ADDRESS: keychainBus ?? 'unix:path=/nonexistent/lp-onboard-no-bus', LP_PROFILE: 'bad-input', ...testCase.env};
	return runCli(args, {env, timeoutMs: 60_000});
}

describe('bad input gives one clear error', {concurrency: 4}, () => {
	for (const testCase of cases) {
		test(`${testCase.name} exits ${testCase.code} with one error and a hint`, {timeout: 90_000}, async t => {
			const result = await run(t, testCase);
			assert.equal(result.code, testCase.code, `exit code; stderr:\n${result.stderr.slice(-2000)}`);
			const lines = result.stderr.split('\n');
			const errorLines = lines.flatMap((line, index) => line.startsWith('✖') ? [index] : []);
			assert.equal(errorLines.length, 1, `exactly one error line:\n${result.stderr.slice(-2000)}`);
			const at = errorLines[0]!;
			assert.match(`${lines[at]!}\n${lines[at + 1] ?? ''}`, testCase.message);
			assert.match(lines[at + 1] ?? '', /^ {2}\S/, 'a hint line follows the error');
			if (testCase.errorLast) {
				assert.deepEqual(lines.slice(at + 2).filter(line => line.trim() !== ''), [], 'nothing after the error and its hint');
			} else {
				// Only warnings (e.g. no keychain on this machine) may come before it.
				assert.ok(lines.slice(0, at).every(line => line.startsWith('⚠') || line.startsWith('  ')), `the error comes first:\n${result.stderr}`);
				assert.equal(result.stdout, '', 'nothing on stdout');
			}

			assert.doesNotMatch(result.stderr, /^\s+at \S+ \(|^\s+at (?:async )?\S+:\d+:\d+/m, 'no stack trace');
			assert.doesNotMatch(result.stderr, /Unexpected error/);
			assert.equal(/[\u001B\u009B]/.test(result.stderr + result.stdout), false, 'no raw escape codes');
		});
	}
});
