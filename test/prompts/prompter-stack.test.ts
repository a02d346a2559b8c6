import test from 'node:test';
import assert from 'node:assert/strict';
import {createPrompter} from '../../source/prompts/prompter-stack.js';
import type {Prompter} from '../../source/prompts/prompter.js';

function askingPrompter(asked: string[]): Prompter {
	return {
		async text({id}) {
			asked.push(id);
			return 'typed';
		},
		async secret({id}) {
			asked.push(id);
			return 'typed-secret';
		},
		async confirm({id}) {
			asked.push(id);
			return true;
		},
		async select({id, choices}) {
			asked.push(id);
			return choices[0]!.value;
		},
	};
}

test('a flag or env answer wins and the terminal is asked only for the rest', async () => {
	const asked: string[] = [];
	const prompter = createPrompter({answers: {'account-id': '12345678'}, env: {LP_APP_KEY: 'from-env'}, terminal: askingPrompter(asked)});
	assert.equal(await prompter.text({id: 'account-id', message: 'Account id'}), '12345678');
	assert.equal(await prompter.secret({id: 'app-key', message: 'App key'}), 'from-env');
	assert.equal(await prompter.secret({id: 'app-secret', message: 'Secret'}), 'typed-secret');
	assert.equal(await prompter.text({id: 'bot-login-name', message: 'Bot', default: 'lp-onboard-bot'}), 'typed');
	assert.deepEqual(asked, ['app-secret', 'bot-login-name']);
});

test('an invalid preset answer is an error, not a question', async () => {
	const asked: string[] = [];
	const prompter = createPrompter({answers: {'account-id': 'not valid!'}, env: {}, terminal: askingPrompter(asked)});
	await assert.rejects(prompter.text({id: 'account-id', message: 'Account id', validate: (value: string) => /^\d+$/.test(value) || 'Digits only'}), {name: 'UsageError'});
	assert.deepEqual(asked, []);
});

test('at a terminal a flag or env answer is used once: asked again, the person answers (no re-ask loop)', async () => {
	const asked: string[] = [];
	const prompter = createPrompter({answers: {'account-id': '99999999'}, env: {LP_APP_KEY: 'rejected-key'}, terminal: askingPrompter(asked)});
	assert.equal(prompter.preset?.('account-id'), '99999999');
	assert.equal(await prompter.text({id: 'account-id', message: 'Account id'}), '99999999');
	assert.equal(prompter.preset?.('account-id'), undefined, 'a used answer is no longer preset');
	assert.equal(await prompter.text({id: 'account-id', message: 'Account id'}), 'typed');
	assert.equal(await prompter.secret({id: 'app-key', message: 'App key'}), 'rejected-key');
	assert.equal(await prompter.secret({id: 'app-key', message: 'App key'}), 'typed-secret');
	assert.deepEqual(asked, ['account-id', 'app-key']);
});

test('without a terminal every answer comes from flag, env or default, and a missing one names its flag', async () => {
	const prompter = createPrompter({answers: {}, env: {LP_BOT_NAME: 'env-bot'}, terminal: undefined});
	assert.equal(await prompter.text({id: 'bot-login-name', message: 'Bot'}), 'env-bot');
	assert.equal(await prompter.text({id: 'username', message: 'User', default: 'stored'}), 'stored');
	await assert.rejects(prompter.text({id: 'account-id', message: 'LivePerson account id'}), {name: 'MissingInputError', message: /account id/});
});
