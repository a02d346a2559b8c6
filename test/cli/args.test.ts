import test from 'node:test';
import assert from 'node:assert/strict';
import {parseCommandLine} from '../../source/cli/args.js';
import {UsageError, exitCodes} from '../../source/errors.js';

test('no arguments runs the wizard on the default profile', () => {
	const line = parseCommandLine([]);
	assert.equal(line.command, 'wizard');
	assert.equal(line.flags.profile, 'default');
	assert.equal(line.flags.sandbox, false);
});

test('commands take their positional arguments and flags', () => {
	const line = parseCommandLine(['auth', 'header', 'GET', 'https://example.com/a?b=c', '--nonce', 'n', '--timestamp', '1191242096']);
	assert.equal(line.command, 'auth');
	assert.deepEqual(line.args, ['header', 'GET', 'https://example.com/a?b=c']);
	assert.equal(line.flags.nonce, 'n');
	assert.equal(line.flags.timestamp, 1_191_242_096);
});

test('the profile and CSDS URL come from the environment when no flag is given', () => {
	const line = parseCommandLine(['status'], {LP_PROFILE: 'work', LP_CSDS_URL: 'http://127.0.0.1:9/'});
	assert.equal(line.flags.profile, 'work');
	assert.equal(line.flags.csdsUrl, 'http://127.0.0.1:9');
});

test('--login-method credentials is the bot\'s login with the credentials; api-key, its older name, is the same', () => {
	assert.equal(parseCommandLine(['--login-method', 'credentials']).flags.loginMethod, 'api-key');
	assert.equal(parseCommandLine(['--login-method', 'api-key']).flags.loginMethod, 'api-key');
	assert.equal(parseCommandLine(['--login-method', 'password']).flags.loginMethod, 'password');
});

const badInput: Array<[string, string[], RegExp]> = [
	['an unknown command', ['frobnicate'], /Unknown command "frobnicate"/],
	['an unknown option', ['--frob'], /Unknown option '--frob'/],
	['an app secret as a flag', ['--app-secret=abc'], /--app-secret is not accepted/],
	['a password as a flag', ['provision', '--password', 'x'], /--password is not accepted/],
	['an empty account id', ['domains', '--account', ''], /is not a LivePerson account id/],
	['an account id with spaces', ['domains', '--account', '123 456'], /is not a LivePerson account id/],
	['a unicode account id', ['domains', '--account', '１２３'], /is not a LivePerson account id/],
	['a 200-character account id', ['domains', '--account', '1'.repeat(200)], /is not a LivePerson account id/],
	['an injection string as account id', ['domains', '--account', '1; rm -rf /'], /is not a LivePerson account id/],
	['a path traversal as account id', ['domains', '--account', '../../etc'], /is not a LivePerson account id/],
	['a CSDS URL that is not http', ['--csds-url', 'ftp://x'], /--csds-url must be an http\(s\) origin/],
	['a CSDS URL with a path', ['--csds-url', 'https://api.liveperson.net/api'], /--csds-url must be an http\(s\) origin/],
	['a CSDS URL that is not a URL', ['--csds-url', 'not a url'], /--csds-url must be an http\(s\) origin/],
	['a functions version of 3', ['provision', '--functions-version', '3'], /--functions-version must be one of 1, 2/],
	['an unknown login method', ['--login-method', 'sso'], /--login-method must be one of credentials, password, api-key/],
	['a port out of range', ['sandbox', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
	['a negative concurrency', ['provision', '--concurrency', '-1'], /--concurrency/],
	['a bad profile name', ['--profile', 'a/b'], /Profile "a\/b" is not a valid name/],
	['a string option without a value', ['domains', '--account'], /argument missing/],
];

for (const [what, argv, message] of badInput) {
	test(`${what} is a usage error with a hint`, () => {
		assert.throws(
			() => parseCommandLine(argv),
			(error: unknown) => {
				assert.ok(error instanceof UsageError);
				assert.match(error.message, message);
				assert.ok(error.hint && error.hint.length > 0);
				assert.equal(error.exitCode, exitCodes.usage);
				return true;
			},
		);
	});
}

test('each command takes the global options and its own: another command\'s option names whose it is and this one\'s', () => {
	assert.throws(() => parseCommandLine(['api', 'POST', '/x', '--yes']), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.match(error.message, /^Unknown option '--yes' for lp-onboard api\. It is an option of the wizard and provision\.$/);
		assert.match(error.hint!, /^Its options: --account, -X\/--method, .*--dry-run.*, and the global ones\. See lp-onboard api --help\.$/);
		return true;
	});
	assert.throws(() => parseCommandLine(['domains', '--dry-run']), /It is an option of the wizard, api and provision/);
	assert.throws(() => parseCommandLine(['status', '--account', '12345678']), /Unknown option '--account' for lp-onboard status/);
	assert.equal(parseCommandLine(['api', 'POST', '/x', '--dry-run']).flags.dryRun, true);
	assert.equal(parseCommandLine(['provision', '--dry-run']).flags.dryRun, true);
});

test('global options go before or after the command; a command option before the command name still finds it', () => {
	const line = parseCommandLine(['--profile', 'work', '--sandbox', 'api', '-X', 'POST', '/x', '-f', 'a=1', '-F', 'b=2', '-H', 'X-A: 1', '-H', 'X-B: 2', '--jq', '.']);
	assert.equal(line.command, 'api');
	assert.equal(line.flags.profile, 'work');
	assert.equal(line.flags.sandbox, true);
	assert.equal(line.flags.method, 'POST');
	assert.deepEqual(line.flags.rawFields, ['a=1']);
	assert.deepEqual(line.flags.fields, ['b=2']);
	assert.deepEqual(line.flags.headers, ['X-A: 1', 'X-B: 2']);
	assert.equal(line.flags.jq, '.');
	assert.deepEqual(line.args, ['/x']);
	assert.equal(parseCommandLine(['--account', '12345678', 'domains']).flags.account, '12345678');
	const wizard = parseCommandLine(['--account', '12345678', '--skip-provisioning']);
	assert.equal(wizard.command, 'wizard');
	assert.equal(wizard.flags.account, '12345678');
});

test('a mistyped command or option gets a "did you mean"', () => {
	assert.throws(() => parseCommandLine(['stauts']), /Unknown command "stauts"\. Did you mean status\?/);
	assert.throws(() => parseCommandLine(['provison']), /Did you mean provision\?/);
	assert.throws(() => parseCommandLine(['api', '--paginat', '/x']), /Did you mean --paginate\?/);
	assert.throws(() => parseCommandLine(['provision', '--dryrun']), /Did you mean --dry-run\?/);
	assert.throws(() => parseCommandLine(['frobnicate']), (error: unknown) => error instanceof UsageError && !/Did you mean/.test(error.message));
});
