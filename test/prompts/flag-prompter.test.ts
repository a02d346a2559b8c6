import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MissingInputError, UsageError} from '../../source/errors.js';
import {createFlagPrompter} from '../../source/prompts/flag-prompter.js';

const digits = (value: string) => /^\d+$/.test(value) || 'Digits only, e.g. 12345678';

test('answers come from the flag value first, then the env var', async () => {
	const env = {LP_ACCOUNT_ID: '222', LP_BOT_NAME: 'env-bot'};
	const prompter = createFlagPrompter({'account-id': '111'}, env);
	assert.equal(await prompter.text({id: 'account-id', message: 'LivePerson account id'}), '111');
	assert.equal(await prompter.text({id: 'bot-login-name', message: 'Login name'}), 'env-bot');
});

test('secrets come from their env var', async () => {
	const prompter = createFlagPrompter({}, {LP_APP_SECRET: 's3cr3t'});
	assert.equal(await prompter.secret({id: 'app-secret', message: 'App secret'}), 's3cr3t');
});

const missingCases = [
	{id: 'account-id', flag: '--account', env: 'LP_ACCOUNT_ID'},
	{id: 'app-key', flag: undefined, env: 'LP_APP_KEY'},
	{id: 'username', flag: '--username', env: 'LP_USERNAME'},
] as const;

for (const {id, flag, env} of missingCases) {
	test(`a missing ${id} names ${[flag, env].filter(Boolean).join(' and ')}`, async () => {
		const prompter = createFlagPrompter({}, {[env]: ''});
		const ask = id === 'app-key' ? prompter.secret({id, message: 'App key'}) : prompter.text({id, message: 'LivePerson value (hint)'});
		await assert.rejects(ask, (error: unknown) => {
			assert.ok(error instanceof MissingInputError);
			assert.equal(error.flag, flag);
			assert.equal(error.env, env);
			assert.match(error.hint ?? '', new RegExp(env));
			return true;
		});
	});
}

test('the missing-input message names what was asked, without the hint in parentheses', async () => {
	await assert.rejects(
		createFlagPrompter({}, {}).text({id: 'account-id', message: 'LivePerson account id (leave empty to open the sign-up page)'}),
		{message: 'Missing LivePerson account id: there is no terminal to ask on.'},
	);
	// A question reads as one, whatever its parentheses (issue 9.8: "Missing Provision LivePerson Functions on account … now (…)").
	await assert.rejects(
		createFlagPrompter({}, {}).confirm({id: 'confirm-provision', message: 'Provision LivePerson Functions on account 12345678 now (activate, default secrets, domain allowlist)?'}),
		{message: 'Missing an answer to "Provision LivePerson Functions on account 12345678 now?": there is no terminal to ask on.', hint: 'Pass --yes or the LP_YES environment variable.'},
	);
});

test('text falls back to its default; secrets and confirmations never do', async () => {
	const prompter = createFlagPrompter({}, {});
	assert.equal(await prompter.text({id: 'bot-login-name', message: 'Login name', default: 'lp-onboard-bot'}), 'lp-onboard-bot');
	await assert.rejects(prompter.confirm({id: 'confirm-provision', message: 'Provision?', default: true}), MissingInputError);
});

const confirmTable = [
	['true', true],
	['false', false],
	['1', true],
	['0', false],
	['yes', true],
	['no', false],
	['YES', true],
	[' No ', false],
] as const;

for (const [value, expected] of confirmTable) {
	test(`confirm reads ${JSON.stringify(value)} as ${expected}`, async () => {
		assert.equal(await createFlagPrompter({}, {LP_YES: value}).confirm({id: 'confirm-provision', message: 'Provision?'}), expected);
	});
}

test('confirm refuses anything else with a usage error', async () => {
	await assert.rejects(createFlagPrompter({'confirm-provision': 'maybe'}, {}).confirm({id: 'confirm-provision', message: 'Provision?'}), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.match(error.message, /--yes/);
		assert.match(error.hint ?? '', /true, false, 1, 0, yes or no/);
		return true;
	});
});

const loginChoices = [
	{value: 'api-key', name: 'API key'},
	{value: 'password', name: 'Password'},
] as const;

test('select returns a valid choice', async () => {
	const prompter = createFlagPrompter({'login-method': 'password'}, {});
	assert.equal(await prompter.select({id: 'login-method', message: 'How?', choices: loginChoices}), 'password');
});

test('select falls back to its default', async () => {
	const prompter = createFlagPrompter({}, {});
	assert.equal(await prompter.select({id: 'login-method', message: 'How?', choices: loginChoices, default: 'api-key'}), 'api-key');
});

test('select refuses an unknown value and lists the valid ones', async () => {
	const prompter = createFlagPrompter({}, {LP_LOGIN_METHOD: 'oauth'});
	await assert.rejects(prompter.select({id: 'login-method', message: 'How?', choices: loginChoices}), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.match(error.message, /LP_LOGIN_METHOD/);
		assert.equal(error.hint, 'Use one of: api-key, password.');
		return true;
	});
});

test('select takes a choice by another of its names, and lists them all when a value matches none', async () => {
	const choices = [
		{value: 'api-key', aliases: ['credentials'], name: 'With the credentials'},
		{value: 'password', name: 'Password'},
	] as const;
	assert.equal(await createFlagPrompter({}, {LP_LOGIN_METHOD: 'credentials'}).select({id: 'login-method', message: 'How?', choices}), 'api-key');
	assert.equal(await createFlagPrompter({}, {LP_LOGIN_METHOD: 'api-key'}).select({id: 'login-method', message: 'How?', choices}), 'api-key');
	await assert.rejects(createFlagPrompter({}, {LP_LOGIN_METHOD: 'sso'}).select({id: 'login-method', message: 'How?', choices}), {
		hint: 'Use one of: credentials, api-key, password.',
	});
});

test('a value the validator refuses is a usage error carrying the validation message', async () => {
	const prompter = createFlagPrompter({'account-id': 'abc'}, {});
	await assert.rejects(prompter.text({id: 'account-id', message: 'Account', validate: digits}), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.equal(error.message, 'Invalid value in --account: Digits only, e.g. 12345678');
		return true;
	});
});

test('a refused secret never shows up in the error', async () => {
	const prompter = createFlagPrompter({}, {LP_PASSWORD: 'hunter2'});
	await assert.rejects(prompter.secret({id: 'password', message: 'Password', validate: () => 'Too short.'}), (error: unknown) => {
		assert.ok(error instanceof UsageError);
		assert.ok(!`${error.message} ${error.hint}`.includes('hunter2'));
		assert.match(error.message, /LP_PASSWORD: Too short\./);
		return true;
	});
});

test('without defaults, a prompt with a default but no flag or env answer is missing', async () => {
	const prompter = createFlagPrompter({}, {}, {useDefaults: false});
	await assert.rejects(prompter.text({id: 'bot-login-name', message: 'Bot login name', default: 'lp-onboard-bot'}), {name: 'MissingInputError'});
	await assert.rejects(prompter.select({id: 'login-method', message: 'Login method', choices: [{value: 'api-key', name: 'API key'}], default: 'api-key'}), {name: 'MissingInputError'});
});
