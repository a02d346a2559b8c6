import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {promptTheme} from '../../source/prompts/inquirer-prompter.js';
import {columns, wrapWords} from '../../source/ui/text.js';

const question = 'Provision LivePerson Functions on account 12345678 now (activate, default secrets, domain allowlist)?';

for (const width of [60, 80, 120, 200] as const) {
	test(`at ${width} columns an answered question breaks between words, never inside one`, () => {
		const {style} = promptTheme(question, width);
		const answer = 'As a bot user, with the API key (recommended)';
		const line = stripVTControlCharacters(`✔ ${style.message()} ${style.answer(answer)}`);
		const rows = line.split('\n');
		assert.ok(rows.every(row => columns(row) <= width), line);
		const words = new Set(`${question} ${answer}`.split(' '));
		for (const row of rows) {
			for (const word of row.replace(/^✔ /, '').trim().split(' ')) {
				assert.ok(words.has(word), `"${word}" is a piece of a word:\n${line}`);
			}
		}
	});
}

test('a question and answer that fit stay on one line', () => {
	const {style} = promptTheme('Login name of the bot user', 80);
	assert.equal(stripVTControlCharacters(`✔ ${style.message()} ${style.answer('lp-onboard-bot')}`), '✔ Login name of the bot user lp-onboard-bot');
});

test('wrapWords cuts only a word longer than the line', () => {
	assert.deepEqual(wrapWords('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
	assert.deepEqual(wrapWords('https://example.com/long', 10), ['https://ex', 'ample.com/', 'long']);
});
