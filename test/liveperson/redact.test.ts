// `redact` shows enough of a secret to recognise it and no more, whatever its length: short secrets (a PIN-like
// password, a test key) show nothing of themselves, long ones their first four characters only.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {test} from 'node:test';
import {redact} from '../../source/liveperson/credentials.js';

/** A value of `length` characters none of which is '…', '(' or a digit, so any character of it in the preview is a leak. */
function secretOf(length: number): string {
	return Array.from(randomBytes(length), byte => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[byte % 52]).join('');
}

test('a secret under 12 characters shows none of its characters, only its length', () => {
	for (let length = 0; length < 12; length++) {
		const value = secretOf(length);
		assert.equal(redact(value), `…(${length})`, `length ${length}`);
	}

	assert.equal(redact('hunter2'), '…(7)');
	assert.equal(redact('abcdefghijk'), '…(11)');
});

test('a secret of 12 characters or more shows exactly its first 4', () => {
	for (const length of [12, 13, 16, 32, 40, 200]) {
		const value = secretOf(length);
		const shown = redact(value);
		assert.equal(shown, `${value.slice(0, 4)}…(${length})`, `length ${length}`);
		assert.ok(!shown.includes(value.slice(0, 5)), `no fifth character at length ${length}`);
		assert.ok(!shown.includes(value.slice(-4)), `nothing of the end at length ${length}`);
	}

	assert.equal(redact('a1b2c3d4e5f6'), 'a1b2…(12)');
});
