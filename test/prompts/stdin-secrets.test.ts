import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UsageError} from '../../source/errors.js';
import {parseSecretsFromStdin} from '../../source/prompts/stdin-secrets.js';

test('KEY=VALUE lines become secrets, skipping blank lines and comments', () => {
	const text = '# copied from the console\n\nLP_APP_KEY=abc\r\n  LP_APP_SECRET = d=e=f \nLP_ACCESS_TOKEN="quoted value"\nLP_ACCESS_TOKEN_SECRET=\'x\'\nLP_PASSWORD=pw\n';
	assert.deepEqual(parseSecretsFromStdin(text), {
		LP_APP_KEY: 'abc',
		LP_APP_SECRET: 'd=e=f',
		LP_ACCESS_TOKEN: 'quoted value',
		LP_ACCESS_TOKEN_SECRET: 'x',
		LP_PASSWORD: 'pw',
	});
});

test('empty input gives no secrets', () => {
	assert.deepEqual(parseSecretsFromStdin(''), {});
	assert.deepEqual(parseSecretsFromStdin('\n# nothing\n'), {});
});

const refusals = [
	{title: 'an unknown key', text: 'LP_APP_KEY=a\nLP_APP_KYE=hunter2\n', message: 'Line 2 of stdin has an unknown key LP_APP_KYE.'},
	{title: 'a pasted bare secret', text: '\n\nSuperSecretToken123=\n', message: 'Line 3 of stdin has an unknown key.'},
	{title: 'a line without =', text: '# header\nhunter2\n', message: 'Line 2 of stdin is not KEY=VALUE.'},
	{title: 'a repeated key', text: 'LP_APP_KEY=a\nLP_APP_KEY=hunter2\n', message: 'LP_APP_KEY appears twice on stdin (lines 1 and 2).'},
	{title: 'an empty value', text: 'LP_PASSWORD=\n', message: 'LP_PASSWORD on line 1 of stdin is empty.'},
] as const;

for (const {title, text, message} of refusals) {
	test(`${title} is a usage error naming the line, never the value`, () => {
		assert.throws(
			() => parseSecretsFromStdin(text),
			(error: unknown) => {
				assert.ok(error instanceof UsageError);
				assert.equal(error.message, message);
				assert.ok(!`${error.message} ${error.hint}`.includes('hunter2'));
				assert.ok(!`${error.message} ${error.hint}`.includes('SuperSecret'));
				return true;
			},
		);
	});
}
