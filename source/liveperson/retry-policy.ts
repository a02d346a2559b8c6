/**
LivePerson's retry policy (its developer site: "Retry Policy Recommendations", "Login Service Retry Policy"; the
README's "Provisioning" section states the same budget), applied by the HTTP client (http.ts) and nowhere else: tasks do
not retry on top of it. 4xx answers are final (451 on login included), except 429.
*/
export const retryPolicy = {
	/**
	Pauses before the 2nd, 3rd and 4th send after a 5xx, a dropped connection or a timeout, for idempotent calls only.
	*/
	serverErrorPausesMs: [5000, 10_000, 15_000],
	/** Least pause after a 429; a longer Retry-After is honoured. */
	rateLimitFloorMs: 1000,
	/** The same for login. */
	loginRateLimitFloorMs: 5000,
	/** The most one call waits in all; a pause that would go beyond it is not taken and the call fails. */
	maxTotalPauseMs: 60_000,
} as const;

/** Sends per call, the first included: one plus one per pause of the policy. */
export const maxSends = retryPolicy.serverErrorPausesMs.length + 1;

/**
A try that did not succeed: an answer (with its Retry-After), or no answer at all and whether repeating it is safe.
*/
export type FailedTry =
	| {readonly status: number; readonly idempotent: boolean; readonly retryAfterMs: number | undefined}
	| {readonly status: undefined; readonly repeatable: boolean};

export type RetryState = {
	/** Sends so far, the failed one included. */
	readonly tries: number;
	/** Milliseconds already paused for this call. */
	readonly pausedMs: number;
	readonly rateLimitFloorMs: number;
	/**
	The pauses after a 5xx, a reset or a timeout; one send more than there are pauses. Tests pass short ones, so they do
	not sit through the real 5 + 10 + 15 s.
	@default retryPolicy.serverErrorPausesMs
	*/
	readonly serverErrorPausesMs?: readonly number[];
};

/** The pause before the next send, or undefined when the failure is final or the budget is spent. */
export function pauseBeforeRetry(failure: FailedTry, state: RetryState): number | undefined {
	const {tries, pausedMs, rateLimitFloorMs, serverErrorPausesMs = retryPolicy.serverErrorPausesMs} = state;
	let ms: number | undefined;
	if (failure.status === 429) {
		ms = Math.max(rateLimitFloorMs, failure.retryAfterMs ?? 0);
	} else if (failure.status === undefined
		? failure.repeatable
		: failure.status >= 500 && failure.status < 600 && failure.idempotent) {
		ms = serverErrorPausesMs[tries - 1];
	}

	const sends = serverErrorPausesMs.length + 1;
	return ms !== undefined && tries < sends && pausedMs + ms <= retryPolicy.maxTotalPauseMs ? ms : undefined;
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
	const value = (Array.isArray(header) ? header[0] : header)?.trim();
	if (!value) {
		return undefined;
	}

	if (/^\d+$/.test(value)) {
		return Number(value) * 1000;
	}

	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
