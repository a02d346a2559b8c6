/** LivePerson's old Users API doc gives this pattern for the account id (docs/liveperson-api.md §8). */
export const accountIdPattern = /^[a-zA-Z0-9_]{1,20}$/;

/** For prompts and flags: `true`, or what is wrong, in words (never echoing the value). */
export function validateAccountId(value: string): true | string {
	return accountIdPattern.test(value) || 'Letters, digits and "_" only, at most 20 characters, e.g. 12345678.';
}
