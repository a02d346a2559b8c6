import {UsageError} from './errors.js';

/** A LivePerson account id, checked once where it enters (flag, env, prompt, file, config). */
export type AccountId = string & {readonly __accountId: true};

/** LivePerson's old Users API doc gives this pattern for the account id (docs/liveperson-api.md §8). */
export const accountIdPattern = /^[a-zA-Z0-9_]{1,20}$/;

const rule = 'An account id is 1 to 20 letters, digits or "_", e.g. 12345678 (the LivePerson console shows it at the top right).';

/** For prompts: `true`, or what is wrong in words, never echoing the value. */
export function validateAccountId(value: string): true | string {
	return accountIdPattern.test(value) || rule;
}

/**
Enough of a rejected value to recognise it: a long value may be a key pasted into the wrong place, so it is never echoed
whole.
*/
export function preview(value: string): string {
	const printable = value.replaceAll(/[^\u0020-\u007E]/g, '?');
	return printable.length <= 20 ? printable : `${printable.slice(0, 4)}…(${printable.length} characters)`;
}

/**
The one parser of an account id, with the one message. `from` says where the value came from ("--account", "line 3 of
accounts.csv"), so the user knows what to correct.
*/
export function parseAccountId(value: string, from: string): AccountId {
	if (!accountIdPattern.test(value)) {
		throw new UsageError(`${from}: "${preview(value)}" is not a LivePerson account id.`, rule);
	}

	return value as AccountId;
}
