import {type Dispatcher, request} from 'undici';
import {type Clock, systemClock} from '../clock.js';
import {CancelledError, HttpError, UsageError} from '../errors.js';
import {createDispatcher, type DispatcherOptions} from './dispatcher.js';
import {hints} from './hints.js';
import {createOAuthSigner} from './oauth.js';
import {pauseBeforeRetry, retryAfterMs, retryPolicy} from './retry-policy.js';
import type {Auth} from './types.js';

/** `timeoutMs` (default 10 s) bounds each try as a whole: connecting, the headers and the body. */
export type HttpOptions = DispatcherOptions & {
	readonly clock?: Clock;
	/** Used instead of the client's own Agent (tests pass a `MockAgent`). The caller closes it. */
	readonly dispatcher?: Dispatcher;
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What `onRetry` hears before each pause: "retrying in 5 s, 1 of 3". */
export type RetryEvent = {
	/** The retry about to be sent: 1 for the first one. */
	readonly attempt: number;
	/** The most retries the policy allows (3). */
	readonly maxAttempts: number;
	readonly delayMs: number;
	/** Why, e.g. `LivePerson answered 503`, `no answer within 10000 ms`, `the connection failed (ECONNRESET)`. */
	readonly reason: string;
};

export type HttpCall = {
	readonly method: HttpMethod;
	readonly url: string;
	/** Names the call in error messages, e.g. `Listing the users of account 123`. Never put secrets here. */
	readonly what: string;
	/** Signed (OAuth) or sent (bearer) on every try; OAuth gets a fresh nonce each time. */
	readonly auth?: Auth;
	readonly headers?: Readonly<Record<string, string>>;
	/** Sent as JSON. */
	readonly body?: unknown;
	/** Sent as `application/x-www-form-urlencoded` instead of a JSON body (Sentinel's token request). */
	readonly form?: Readonly<Record<string, string>>;
	/**
	Whether a 5xx, a reset or a timeout may be retried. A 429 is always retried: the service did not act on the call.
	@default method !== 'POST'
	*/
	readonly idempotent?: boolean;
	/**
	Least pause after a 429: `retryPolicy.rateLimitFloorMs`, or `loginRateLimitFloorMs` for login (retry-policy.ts).
	@default retryPolicy.rateLimitFloorMs
	*/
	readonly rateLimitFloorMs?: number;
	/** Statuses besides 2xx that are answers, not failures (e.g. 404 for "no such secret"). */
	readonly accept?: readonly number[];
	/** Hints that replace the default ones, by status. */
	readonly hints?: Readonly<Partial<Record<number, string>>>;
	/** Called before each pause of the retry policy. */
	readonly onRetry?: (event: RetryEvent) => void;
	readonly signal?: AbortSignal;
};

export type HttpResult = {
	readonly status: number;
	readonly headers: Readonly<Record<string, string | string[] | undefined>>;
	/** Parsed JSON, or undefined for an empty body (or an unparsable body of an accepted non-2xx status). */
	readonly body: unknown;
};

export type Http = {
	send(call: HttpCall): Promise<HttpResult>;
	close(): Promise<void>;
};

export {hints} from './hints.js';


type Outcome =
	| {readonly kind: 'response'; readonly status: number; readonly headers: HttpResult['headers']; readonly text: string}
	| {readonly kind: 'timeout'; readonly error: unknown}
	| {readonly kind: 'network'; readonly error: unknown; readonly code: string | undefined; readonly sent: boolean};

/** Error codes of failures that happen before the request left, so even a non-idempotent call may be retried. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** A name that does not exist (NXDOMAIN) stays that way for the next 30 s: no retry. (A DNS timeout is EAI_AGAIN.) */
const finalCodes = new Set(['ENOTFOUND']);
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
Sends LivePerson calls under `retryPolicy`: no retry on 4xx but 429; 429 waits max(floor, Retry-After); 5xx, resets and
timeouts wait 5, 10, 15 s, unless the call is not idempotent (a refused connection never reached the service, so any call
is retried then). At most `maxSends` sends and `maxTotalPauseMs` of pauses. The pauses go through `clock.sleep`, so tests pass
a clock that records them instead of waiting. Every failure is an `HttpError` with a hint (never with headers or bodies); an abort is a `CancelledError`.
*/
export function createHttp(options: HttpOptions = {}): Http {
	const clock = options.clock ?? systemClock;
	const timeoutMs = options.timeoutMs ?? 10_000;
	const ownDispatcher = options.dispatcher ? undefined : createDispatcher(options);
	const dispatcher = options.dispatcher ?? ownDispatcher!;

	async function once(call: HttpCall, url: URL): Promise<Outcome> {
		const headers: Record<string, string> = {accept: 'application/json', 'user-agent': 'lp-onboard', ...call.headers};
		if (call.auth) {
			headers.authorization = await authorization(call.auth, call, url, clock);
		}

		let body: string | undefined;
		if (call.form !== undefined) {
			body = new URLSearchParams(call.form).toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
		} else if (call.body !== undefined) {
			body = JSON.stringify(call.body);
			headers['content-type'] = 'application/json';
		}

		// One controller per try, its timer and its link to the caller's signal undone as soon as the try ends. (AbortSignal.timeout
		// and AbortSignal.any kept every finished try, its response included, reachable for the whole timeout: memory grew with
		// the number of calls, e.g. with the accounts of `provision --accounts`.)
		const controller = new AbortController();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			controller.abort(new Error(`no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		const forward = () => {
			controller.abort(call.signal?.reason);
		};

		if (call.signal?.aborted) {
			forward();
		} else {
			call.signal?.addEventListener('abort', forward, {once: true});
		}

		const {signal} = controller;
		try {
			const pending = request(url, {
				method: call.method,
				headers,
				body,
				dispatcher,
				signal,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
			});
			// undici ignores the signal while it waits for a proxy's CONNECT answer: stop waiting ourselves. The abandoned
			// request ends when the client is closed.
			pending.catch(() => undefined);
			const response = await Promise.race([pending, rejectOnAbort(signal)]);
			// Always read the body, so the connection goes back to the pool.
			const text = await response.body.text();
			return {kind: 'response', status: response.statusCode, headers: response.headers, text};
		} catch (error) {
			if (call.signal?.aborted) {
				throw new CancelledError();
			}

			const code = errorCode(error);
			if (timedOut || (code && timeoutCodes.has(code))) {
				return {kind: 'timeout', error};
			}

			return {kind: 'network', error, code, sent: !(code && notSentCodes.has(code))};
		} finally {
			clearTimeout(timer);
			call.signal?.removeEventListener('abort', forward);
		}
	}

	async function rejectOnAbort(signal: AbortSignal): Promise<never> {
		return new Promise((_resolve, reject) => {
			const fail = () => {
				reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
			};

			if (signal.aborted) {
				fail();
			} else {
				signal.addEventListener('abort', fail, {once: true});
			}
		});
	}

	async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
		try {
			await clock.sleep(ms, signal);
		} catch (error) {
			if (signal?.aborted) {
				throw new CancelledError();
			}

			throw error;
		}
	}

	async function send(call: HttpCall): Promise<HttpResult> {
		let url: URL;
		try {
			url = new URL(call.url);
		} catch {
			throw new UsageError(`${call.what}: "${call.url}" is not a URL.`, 'Check --csds-url (LP_CSDS_URL).');
		}

		const idempotent = call.idempotent ?? call.method !== 'POST';
		const where = `${call.method} ${url.host}${url.pathname}`;
		const floorMs = call.rateLimitFloorMs ?? retryPolicy.rateLimitFloorMs;
		// No answer: safe to repeat if the call is idempotent or never left, unless the host name does not exist.
		const repeatable = (outcome: Exclude<Outcome, {kind: 'response'}>) => outcome.kind === 'timeout'
			? idempotent
			: !(outcome.code && finalCodes.has(outcome.code)) && (idempotent || !outcome.sent);
		const pauseAfter = (outcome: Outcome, tries: number, pausedMs: number) => pauseBeforeRetry(
			outcome.kind === 'response'
				? {status: outcome.status, idempotent, retryAfterMs: retryAfterMs(outcome.headers['retry-after'], clock.now())}
				: {status: undefined, repeatable: repeatable(outcome)},
			{tries, pausedMs, rateLimitFloorMs: floorMs},
		);

		let paused = 0;
		let renewed = false;
		for (let tries = 1; ; tries++) {
			if (call.signal?.aborted) {
				throw new CancelledError();
			}

			const outcome = await once(call, url);
			if (outcome.kind === 'response' && ((outcome.status >= 200 && outcome.status < 300) || call.accept?.includes(outcome.status))) {
				return {status: outcome.status, headers: outcome.headers, body: parseBody(call, where, outcome.text, outcome.status)};
			}

			// A 401 on a cached Bearer token: the token may have been revoked or expired early. Renew it once and send again.
			if (outcome.kind === 'response' && outcome.status === 401 && !renewed && call.auth && 'authorizer' in call.auth) {
				renewed = true;
				if (await call.auth.authorizer.invalidate()) {
					continue;
				}
			}

			const pauseMs = pauseAfter(outcome, tries, paused);
			if (pauseMs !== undefined) {
				const reason = outcome.kind === 'response'
					? `LivePerson answered ${outcome.status}`
					: (outcome.kind === 'timeout' ? `no answer within ${timeoutMs} ms` : `the connection failed${outcome.code ? ` (${outcome.code})` : ''}`);
				call.onRetry?.({attempt: tries, maxAttempts: retryPolicy.serverErrorPausesMs.length, delayMs: pauseMs, reason});
				paused += pauseMs;
				await pause(pauseMs, call.signal);
				continue;
			}

			if (outcome.kind === 'response') {
				throw statusError(call, where, outcome.status, outcome.text, tries);
			}

			const after = tries > 1 ? ` after ${tries} tries` : '';
			const message = outcome.kind === 'timeout'
				? `${call.what} failed: no answer within ${timeoutMs} ms${after} (${where}).`
				: `${call.what} failed: the connection failed${outcome.code ? ` (${outcome.code})` : ''}${after} (${where}).`;
			const retryNote = idempotent || (outcome.kind === 'network' && !outcome.sent)
				? ''
				: ' It was not retried because it may have been carried out: check before running it again.';
			throw new HttpError(message, undefined, {hint: hints.network + retryNote, cause: outcome.error});
		}
	}

	return {
		send,
		async close() {
			// destroy, not close: whatever is still in flight when the CLI is done (an aborted call, a proxy that never
			// answered) was given up on, and close() would wait for it.
			await ownDispatcher?.destroy();
		},
	};
}

async function authorization(auth: Auth, call: HttpCall, url: URL, clock: Clock): Promise<string> {
	if ('authorizer' in auth) {
		return auth.authorizer.authorize({method: call.method, url: url.href}, {signal: call.signal});
	}

	return 'oauth' in auth ? createOAuthSigner(auth.oauth, clock)({method: call.method, url: url.href}) : `Bearer ${auth.bearer}`;
}

function parseBody(call: HttpCall, where: string, text: string, status: number): unknown {
	if (text.trim() === '') {
		return undefined;
	}

	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		if (status < 200 || status >= 300) {
			return undefined;
		}

		throw malformedError(call.what, where, status, error);
	}
}

/** For a body that is JSON but not the expected shape, or not JSON at all. */
export function malformedError(what: string, detail: string, status: number | undefined, cause?: unknown): HttpError {
	return new HttpError(`${what} failed: LivePerson's answer is not the JSON lp-onboard expects (${detail}).`, status, {hint: hints.malformed, cause});
}

function statusError(call: HttpCall, where: string, status: number, text: string, tries: number): HttpError {
	const code = serviceCode(text);
	const after = tries > 1 ? ` after ${tries} tries` : '';
	const message = `${call.what} failed: LivePerson answered ${status}${code ? ` (${code})` : ''}${after} (${where}).`;
	return new HttpError(message, status, {code, hint: hintFor(call, status, code)});
}

function hintFor(call: HttpCall, status: number, code: string | undefined): string {
	const own = call.hints?.[status];
	if (own) {
		return own;
	}

	if (status === 401 && (code === 'timestamp_refused' || code === 'nonce_used')) {
		return hints.clock;
	}

	if (status >= 500) {
		return hints.server;
	}

	return (hints as Record<number, string>)[status] ?? (status >= 400 && status < 500 ? hints[400] : hints.server);
}

/**
The service's own error code, from any of LivePerson's error shapes: `{code}` (Functions), `{errorCode}` (Functions V1),
`{error: {internalCode}}` (Login Service) or `oauth_problem=…` (OAuth). Only short identifiers, never free text.
*/
export function serviceCode(text: string): string | undefined {
	let candidate: unknown;
	if (text.startsWith('oauth_problem=')) {
		candidate = new URLSearchParams(text).get('oauth_problem');
	} else {
		try {
			const json = JSON.parse(text) as {code?: unknown; errorCode?: unknown; error?: {internalCode?: unknown}} | undefined;
			candidate = json?.code ?? json?.errorCode ?? json?.error?.internalCode;
		} catch {
			return undefined;
		}
	}

	const value = typeof candidate === 'number' ? String(candidate) : candidate;
	return typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value) ? value : undefined;
}

function errorCode(error: unknown): string | undefined {
	const codes: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const {code, cause} = current as {code?: unknown; cause?: unknown};
		if (typeof code === 'string') {
			codes.push(code);
		}

		current = cause;
	}

	// A timeout wins; otherwise the system code (ECONNRESET) says more than undici's wrapper (UND_ERR_SOCKET).
	return codes.find(code => timeoutCodes.has(code)) ?? codes.findLast(code => !code.startsWith('UND_ERR_')) ?? codes[0];
}
