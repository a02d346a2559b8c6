import test from 'node:test';
import assert from 'node:assert/strict';
import {createFirstAnswerPrompter} from '../../source/prompts/first-answer-prompter.js';
import {createFlagPrompter} from '../../source/prompts/flag-prompter.js';
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
	const prompter = createFirstAnswerPrompter(createFlagPrompter({'account-id': '12345678'}, {LP_APP_KEY: 'from-env'}, {useDefaults: false}), askingPrompter(asked));
	assert.equal(await prompter.text({id: 'account-id', message: 'Account id'}), '12345678');
	assert.equal(await prompter.secret({id: 'app-key', message: 'App key'}), 'from-env');
	assert.equal(await prompter.secret({id: 'app-secret', message: 'Secret'}), 'typed-secret');
	assert.equal(await prompter.text({id: 'bot-login-name', message: 'Bot', default: 'lp-onboard-bot'}), 'typed');
	assert.deepEqual(asked, ['app-secret', 'bot-login-name']);
});

test('an invalid preset answer is an error, not a question', async () => {
	const asked: string[] = [];
	const prompter = createFirstAnswerPrompter(createFlagPrompter({'account-id': 'not valid!'}, {}, {useDefaults: false}), askingPrompter(asked));
	await assert.rejects(prompter.text({id: 'account-id', message: 'Account id', validate: value => /^\d+$/.test(value) || 'Digits only'}), {name: 'UsageError'});
	assert.deepEqual(asked, []);
});
