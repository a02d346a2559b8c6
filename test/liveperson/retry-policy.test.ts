// The pure retry policy at its edges: the one-minute budget is inclusive, and the sends are counted with the first.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {maxSends, pauseBeforeRetry, retryPolicy} from '../../source/liveperson/retry-policy.js';

const state = {tries: 1, pausedMs: 0, rateLimitFloorMs: retryPolicy.rateLimitFloorMs};

test('a pause that ends the minute exactly is taken; one millisecond more is not', () => {
	assert.equal(retryPolicy.maxTotalPauseMs, 60_000);
	const rateLimited = (retryAfterMs: number) => ({status: 429, idempotent: true, retryAfterMs}) as const;
	assert.equal(pauseBeforeRetry(rateLimited(60_000), state), 60_000);
	assert.equal(pauseBeforeRetry(rateLimited(60_001), state), undefined);
	assert.equal(pauseBeforeRetry(rateLimited(20_000), {...state, tries: 2, pausedMs: 40_000}), 20_000);
	assert.equal(pauseBeforeRetry(rateLimited(20_001), {...state, tries: 2, pausedMs: 40_000}), undefined);
	const serverError = {status: 503, idempotent: true, retryAfterMs: undefined} as const;
	assert.equal(pauseBeforeRetry(serverError, {...state, tries: 3, pausedMs: 45_000}), 15_000);
	assert.equal(pauseBeforeRetry(serverError, {...state, tries: 3, pausedMs: 45_001}), undefined);
});

test('the fourth send is the last: no pause after it, whatever the failure', () => {
	assert.equal(maxSends, 4);
	for (const failure of [{status: 429, idempotent: true, retryAfterMs: 1} as const, {status: undefined, repeatable: true} as const]) {
		assert.notEqual(pauseBeforeRetry(failure, {...state, tries: 3}), undefined);
		assert.equal(pauseBeforeRetry(failure, {...state, tries: 4}), undefined);
	}
});

test('injected pauses replace the policy\'s and set how many sends there are', () => {
	const short = {...state, serverErrorPausesMs: [7, 8]};
	const failure = {status: 500, idempotent: true, retryAfterMs: undefined} as const;
	assert.deepEqual([1, 2, 3].map(tries => pauseBeforeRetry(failure, {...short, tries})), [7, 8, undefined]);
});
