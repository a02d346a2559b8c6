import test from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createCliEnv, runCli} from '../support/cli.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
const ansi = /\u001B|\u009B/;

test('--version prints the version from package.json and nothing else', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--version'], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	assert.equal(result.stdout, `${packageJson.version}\n`);
	assert.equal(result.stderr, '');
});

test('--help lists every command and the exit-code table', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--help'], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	const help = result.stdout;
	for (const command of ['domains', 'auth header', 'provision', 'status', 'logout', 'sandbox', 'doctor']) {
		assert.match(help, new RegExp(`\\$ lp-onboard ${command}\\b`), `--help does not list ${command}`);
	}

	assert.match(help, /\$ lp-onboard \[options]/, 'the wizard (no command) is listed');
	// A terminal wraps a longer line mid-word.
	assert.deepEqual(help.split('\n').filter(line => [...line].length > 80), [], 'a --help line is wider than 80 columns');
	assert.match(help, /Exit codes/);
	const codes: Array<[number, RegExp]> = [
		[0, /done/],
		[1, /unexpected/],
		[2, /bad usage/],
		[3, /missing input/],
		[4, /authentication/],
		[5, /network/],
		[6, /keychain/],
		[7, /provisioning partly failed/],
		[8, /refused/],
		[130, /cancelled/],
	];
	const table = help.slice(help.indexOf('Exit codes'));
	for (const [code, meaning] of codes) {
		assert.match(table, new RegExp(`(^|[\\s·])${code} ${meaning.source}`, 'm'), `the exit-code table lacks ${code}`);
	}
});

test('piped output has no ANSI escape anywhere, with or without NO_COLOR and with a colour terminal name', async t => {
	const dirs = await createCliEnv(t);
	const envs: Array<Record<string, string>> = [
		{...dirs.env, TERM: 'xterm-256color'},
		{...dirs.env, TERM: 'xterm-256color', NO_COLOR: '1'},
	];
	const runs: Array<[string, string[], Record<string, string>]> = [
		['--help', ['--help'], {}],
		['domains', ['domains', '--sandbox', '--account', '12345678'], {}],
		['an unknown account', ['domains', '--sandbox', '--account', '99999999'], {}],
		['an unknown option', ['--frobnicate'], {}],
		['provision', ['provision', '--sandbox', '--yes', '--account', '12345678', '--username', 'admin'], {LP_PASSWORD: 'sandbox-admin-pass'}],
		['status', ['status', '--insecure-storage'], {}],
	];
	for (const env of envs) {
		assert.equal(env['FORCE_COLOR'], undefined);
		for (const [name, args, extra] of runs) {
			const result = await runCli(args, {env: {...env, ...extra}});
			assert.ok(result.stdout.length + result.stderr.length > 0, `${name} printed nothing`);
			assert.doesNotMatch(result.stdout, ansi, `${name} (NO_COLOR=${env['NO_COLOR'] ?? 'unset'}) wrote an escape to stdout:\n${result.stdout}`);
			assert.doesNotMatch(result.stderr, ansi, `${name} (NO_COLOR=${env['NO_COLOR'] ?? 'unset'}) wrote an escape to stderr:\n${result.stderr}`);
		}
	}
});

test('CI=true with no answers ends at once with exit 3 naming --account and LP_ACCOUNT_ID', async t => {
	const dirs = await createCliEnv(t);
	// --insecure-storage settles where secrets go, so the first question is the account (step 1).
	const result = await runCli(['--insecure-storage'], {env: {...dirs.env, CI: 'true'}, timeoutMs: 20_000});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /--account/);
	assert.match(result.stderr, /LP_ACCOUNT_ID/);
	assert.equal(result.stdout, '');
});

test('without a terminal and without CI the wizard asks nothing either: exit 3 naming --account', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--insecure-storage'], {env: dirs.env, timeoutMs: 20_000});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /--account or the LP_ACCOUNT_ID environment variable/);
});

test('CI=true with no keychain and no storage choice ends with exit 6 naming --insecure-storage, without waiting on stdin', async t => {
	const dirs = await createCliEnv(t);
	// No D-Bus in this environment: keytar fails fast, and nothing may fall back silently.
	const result = await runCli([], {env: {...dirs.env, CI: 'true'}, timeoutMs: 20_000});
	assert.equal(result.code, 6, result.stderr);
	assert.match(result.stderr, /--insecure-storage/);
	assert.match(result.stderr, /keychain is not available/);
});

test('CI=true with a working keychain and no answers names --account and LP_ACCOUNT_ID', {skip: process.env['LP_TEST_KEYCHAIN'] === '1' ? false : 'no throwaway keyring (run under scripts/with-keyring.sh)'}, async t => {
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, CI: 'true', DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? ''};
	const result = await runCli([], {env, timeoutMs: 20_000});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /--account or the LP_ACCOUNT_ID environment variable/);
});

test('a secret given as a flag is refused with exit 2 and never echoed', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['--app-secret=hunter2-secret-value'], {env: dirs.env});
	assert.equal(result.code, 2, result.stderr);
	assert.doesNotMatch(result.stdout + result.stderr, /hunter2-secret-value/);
});
