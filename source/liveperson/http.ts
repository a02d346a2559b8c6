import {type Dispatcher, request} from 'undici';
import {type Clock, systemClock} from '../clock.js';
import {CancelledError, HttpError, UsageError} from '../errors.js';
import {formatSize} from '../system/read-input.js';
import {createDispatcher, type DispatcherOptions, isSandboxHost} from './dispatcher.js';
import {hints} from './hints.js';
import {createCredentialHosts, type CredentialHosts, credentialsRefused, isLoopbackHost} from './hosts.js';
import {createOAuthSigner} from './oauth.js';
import {pauseBeforeRetry, retryAfterMs, retryPolicy} from './retry-policy.js';
import type {Auth} from './types.js';

/** `timeoutMs` (default 10 s) bounds each try as a whole: connecting, the headers and the body. */
export type HttpOptions = DispatcherOptions & {
	readonly clock?: Clock;
	/** Used instead of the client's own Agent (tests pass a `MockAgent`). The caller closes it. */
	readonly dispatcher?: Dispatcher;
	/** Hosts (`host[:port]`) the user named with `--send-credentials-to`: they get credentials like the account's own. */
	readonly sendCredentialsTo?: readonly string[];
	/** The pauses after a 5xx, a reset or a timeout (tests pass short ones). @default retryPolicy.serverErrorPausesMs */
	readonly serverErrorPausesMs?: readonly number[];
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Makes the Authorization header of one try (a fresh OAuth signature, a bearer, a Sentinel token). */
export type Authorize = (request: {readonly method: HttpMethod; readonly url: string}) => string | Promise<string>;

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
	/** Used instead of `auth`: the credentials port's own way to authorize a request, asked on every try. */
	readonly authorize?: Authorize;
	/** The body carries credentials (a login): it goes only where an Authorization header may go. */
	readonly secretBody?: boolean;
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
	/** Every status is an answer, returned as it came, never retried (`lp-onboard api` shows it and exits by it). */
	readonly anyStatus?: boolean;
	/** The most bytes of body read; a longer answer fails as too large. @default defaultMaxBytes */
	readonly maxBytes?: number;
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
	/** Hosts CSDS listed for the account (`host[:port]`): requests to them may carry credentials. */
	trustHosts(hosts: Iterable<string>): void;
	close(): Promise<void>;
};

export {hints} from './hints.js';

/**
The body cap of a call that names none: far above the largest LivePerson answer lp-onboard reads (a Users API list of a
large account is a few MB), far below what would hurt the machine.
*/
export const defaultMaxBytes = 32 * 1024 * 1024;

type Outcome =
	| {readonly kind: 'response'; readonly status: number; readonly headers: HttpResult['headers']; readonly text: string}
	| {readonly kind: 'too-large'; readonly maxBytes: number}
	| {readonly kind: 'timeout'; readonly error: unknown}
	| {readonly kind: 'network'; readonly error: unknown; readonly code: string | undefined; readonly sent: boolean};

type NoAnswer = Extract<Outcome, {kind: 'timeout' | 'network'}>;

/** What every stage of a call needs from the client. */
type Context = {
	readonly clock: Clock;
	readonly dispatcher: Dispatcher;
	readonly timeoutMs: number;
	readonly credentialHosts: CredentialHosts;
	/** *.sandbox.test hosts go to this machine. */
	readonly sandboxHosts: boolean;
	readonly serverErrorPausesMs: readonly number[];
};

/** Error codes of failures that happen before the request left, so even a non-idempotent call may be retried. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** A name that does not exist (NXDOMAIN) stays that way for the next 30 s: no retry. (A DNS timeout is EAI_AGAIN.) */
const finalCodes = new Set(['ENOTFOUND']);
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
Sends LivePerson calls under `retryPolicy`: no retry on 4xx but 429; 429 waits max(floor, Retry-After); 5xx, resets and
timeouts wait 5, 10, 15 s, unless the call is not idempotent (a refused connection never reached the service, so any
call is retried then, except on this machine, where nothing will start listening in 5 s). At most `maxSends` sends and
`maxTotalPauseMs` of pauses; the pauses go through `clock.sleep`, so tests pass a clock that records them instead of
waiting. Credentials go only to hosts CSDS listed for the account (or named with `--send-credentials-to`), over https
unless the host is on this machine. Every failure is an `HttpError` or `UsageError` with a hint (never with headers or
bodies); an abort is a `CancelledError`.
*/
export function createHttp(options: HttpOptions = {}): Http {
	const ownDispatcher = options.dispatcher ? undefined : createDispatcher(options);
	const context: Context = {
		clock: options.clock ?? systemClock,
		dispatcher: options.dispatcher ?? ownDispatcher!,
		timeoutMs: options.timeoutMs ?? 10_000,
		credentialHosts: createCredentialHosts(options.sendCredentialsTo),
		sandboxHosts: options.resolveSandboxHosts ?? false,
		serverErrorPausesMs: options.serverErrorPausesMs ?? retryPolicy.serverErrorPausesMs,
	};

	async function send(call: HttpCall): Promise<HttpResult> {
		const url = parseUrl(call);
		const where = `${call.method} ${url.host}${url.pathname}`;
		let paused = 0;
		let renewed = false;
		for (let tries = 1; ; tries++) {
			if (call.signal?.aborted) {
				throw new CancelledError();
			}

			const outcome = await attempt(call, url, context);
			if (outcome.kind === 'response' && isAnswer(call, outcome.status)) {
				return {
					status: outcome.status,
					headers: outcome.headers,
					body: parseBody(call, where, outcome.text, outcome.status),
				};
			}

			// A 401 on a cached Bearer token: it may have been revoked or expired early. Renew it once and send again.
			if (outcome.kind === 'response' && outcome.status === 401 && !renewed && call.auth && 'authorizer' in call.auth) {
				renewed = true;
				if (await call.auth.authorizer.invalidate()) {
					continue;
				}
			}

			const pauseMs = retryPause(call, url, outcome, {tries, pausedMs: paused}, context);
			if (pauseMs === undefined) {
				throw outcome.kind === 'response'
					? statusError(call, where, outcome.status, outcome.text, tries)
					: outcome.kind === 'too-large'
						? tooLargeError(call, url, outcome.maxBytes)
						: noAnswerError(call, where, outcome, tries, context.timeoutMs);
			}

			const maxAttempts = context.serverErrorPausesMs.length;
			call.onRetry?.({attempt: tries, maxAttempts, delayMs: pauseMs, reason: reasonOf(outcome, context)});
			paused += pauseMs;
			await pause(context.clock, pauseMs, call.signal);
		}
	}

	return {
		send,
		trustHosts(hosts) {
			context.credentialHosts.trust(hosts);
		},
		async close() {
			// destroy, not close: whatever is still in flight when the CLI is done (an aborted call, a proxy that never
			// answered) was given up on, and close() would wait for it.
			await ownDispatcher?.destroy();
		},
	};
}

function parseUrl(call: HttpCall): URL {
	try {
		return new URL(call.url);
	} catch {
		throw new UsageError(`${call.what}: "${call.url}" is not a URL.`, 'Check --csds-url (LP_CSDS_URL).');
	}
}

function isAnswer(call: HttpCall, status: number): boolean {
	return (status >= 200 && status < 300) || Boolean(call.anyStatus) || Boolean(call.accept?.includes(status));
}

/** The stage before anything leaves: whether this host may get credentials, then the Authorization header itself. */
async function authorization(call: HttpCall, url: URL, context: Context): Promise<string | undefined> {
	const authorize = call.authorize ?? (call.auth ? authorizeWith(call.auth, call, context.clock) : undefined);
	if (!authorize && !call.secretBody) {
		return undefined;
	}

	const refused = credentialsRefused(context.credentialHosts, url);
	if (refused === 'host') {
		throw new UsageError(
			`${call.what}: refusing to send credentials to ${url.host}: it is not one of the account's LivePerson hosts (CSDS).`,
			`Use a path (lp-onboard api /api/account/…), or a URL on a host \`lp-onboard domains\` lists. If you trust ${url.host}, `
				+ `pass --send-credentials-to ${url.host}.`,
		);
	}

	if (refused === 'plain-http') {
		throw new UsageError(
			`${call.what}: refusing to send credentials over plain http to ${url.host}.`,
			'Use an https URL; plain http is only for the sandbox (this machine, *.test names).',
		);
	}

	return authorize?.({method: call.method, url: url.href});
}

function authorizeWith(auth: Auth, call: HttpCall, clock: Clock): Authorize {
	if ('authorizer' in auth) {
		return async request => auth.authorizer.authorize(request, {signal: call.signal});
	}

	return 'oauth' in auth
		? ({method, url}) => createOAuthSigner(auth.oauth, clock)({method, url})
		: () => `Bearer ${auth.bearer}`;
}

/** One try: authorized afresh, bounded by the timeout as a whole, its body read up to the call's cap. */
async function attempt(call: HttpCall, url: URL, context: Context): Promise<Outcome> {
	const headers: Record<string, string> = {accept: 'application/json', 'user-agent': 'lp-onboard', ...call.headers};
	const authorizationHeader = await authorization(call, url, context);
	if (authorizationHeader !== undefined) {
		headers.authorization = authorizationHeader;
	}

	let body: string | undefined;
	if (call.form !== undefined) {
		body = new URLSearchParams(call.form).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	} else if (call.body !== undefined) {
		body = JSON.stringify(call.body);
		headers['content-type'] = 'application/json';
	}

	// One controller per try, its timer and its link to the caller's signal undone as soon as the try ends.
	// (AbortSignal.timeout and AbortSignal.any kept every finished try, its response included, reachable for the whole
	// timeout: memory grew with the number of calls, e.g. with the accounts of `provision --accounts`.)
	const {timeoutMs} = context;
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
			dispatcher: context.dispatcher,
			signal,
			headersTimeout: timeoutMs,
			bodyTimeout: timeoutMs,
		});
		// undici ignores the signal while it waits for a proxy's CONNECT answer: stop waiting ourselves. The abandoned
		// request ends when the client is closed.
		pending.catch(() => undefined);
		const response = await Promise.race([pending, rejectOnAbort(signal)]);
		const maxBytes = call.maxBytes ?? defaultMaxBytes;
		// Always read the body (so the connection goes back to the pool), but never more of it than the cap.
		const text = await readBounded(response.body, response.headers['content-length'], maxBytes);
		return text === undefined
			? {kind: 'too-large', maxBytes}
			: {kind: 'response', status: response.statusCode, headers: response.headers, text};
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

/** The body as text, or undefined (and the body destroyed) once it is longer than `maxBytes`. */
async function readBounded(
	body: AsyncIterable<Uint8Array> & {destroy(): unknown},
	contentLength: string | string[] | undefined,
	maxBytes: number,
): Promise<string | undefined> {
	if (typeof contentLength === 'string' && Number(contentLength) > maxBytes) {
		body.destroy();
		return undefined;
	}

	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += chunk.byteLength;
		if (size > maxBytes) {
			body.destroy();
			return undefined;
		}

		chunks.push(chunk);
	}

	return Buffer.concat(chunks).toString('utf8');
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

/** The retry decision: the policy's pause before the next send, or undefined when this failure is final. */
function retryPause(
	call: HttpCall,
	url: URL,
	outcome: Outcome,
	done: {tries: number; pausedMs: number},
	context: Context,
): number | undefined {
	if (outcome.kind === 'too-large') {
		return undefined;
	}

	const idempotent = call.idempotent ?? call.method !== 'POST';
	const state = {
		...done,
		rateLimitFloorMs: call.rateLimitFloorMs ?? retryPolicy.rateLimitFloorMs,
		serverErrorPausesMs: context.serverErrorPausesMs,
	};
	if (outcome.kind === 'response') {
		const retryAfter = retryAfterMs(outcome.headers['retry-after'], context.clock.now());
		return pauseBeforeRetry({status: outcome.status, idempotent, retryAfterMs: retryAfter}, state);
	}

	return pauseBeforeRetry({status: undefined, repeatable: repeatable(outcome, idempotent, url, context)}, state);
}

/**
No answer: safe to repeat if the call is idempotent or never left, unless the host name does not exist, or the
connection was refused on this machine (the sandbox is not running: it will not be in 5 s either).
*/
function repeatable(outcome: NoAnswer, idempotent: boolean, url: URL, context: Context): boolean {
	if (outcome.kind === 'timeout') {
		return idempotent;
	}

	const local = isLoopbackHost(url.hostname) || (context.sandboxHosts && isSandboxHost(url.hostname));
	if (outcome.code && (finalCodes.has(outcome.code) || (local && outcome.code === 'ECONNREFUSED'))) {
		return false;
	}

	return idempotent || !outcome.sent;
}

function reasonOf(outcome: Outcome, context: Context): string {
	switch (outcome.kind) {
		case 'response': {
			return `LivePerson answered ${outcome.status}`;
		}

		case 'timeout': {
			return `no answer within ${context.timeoutMs} ms`;
		}

		case 'network': {
			return `the connection failed${outcome.code ? ` (${outcome.code})` : ''}`;
		}

		default: {
			return 'the answer was too large';
		}
	}
}

async function pause(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
	try {
		await clock.sleep(ms, signal);
	} catch (error) {
		if (signal?.aborted) {
			throw new CancelledError();
		}

		throw error;
	}
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

/** The error of an answer with a failing status (after the retries it allowed). */
function statusError(call: HttpCall, where: string, status: number, text: string, tries: number): HttpError {
	const code = serviceCode(text);
	const after = tries > 1 ? ` after ${tries} tries` : '';
	// A code that only repeats the status (`internalCode: 401`) says nothing more.
	const shown = code && code !== String(status) ? ` (${code})` : '';
	const said = withoutSecrets(serviceMessage(text), call);
	const message = `${call.what} failed: LivePerson answered ${status}${shown}${after}${said ? `: "${said}"` : ''} (${where}).`;
	return new HttpError(message, status, {code, hint: hintFor(call, status, code)});
}

/** The error of a call that got no answer: a timeout or a failed connection (after the retries it allowed). */
function noAnswerError(call: HttpCall, where: string, outcome: NoAnswer, tries: number, timeoutMs: number): HttpError {
	const after = tries > 1 ? ` after ${tries} tries` : '';
	const message = outcome.kind === 'timeout'
		? `${call.what} failed: no answer within ${timeoutMs} ms${after} (${where}).`
		: `${call.what} failed: the connection failed${outcome.code ? ` (${outcome.code})` : ''}${after} (${where}).`;
	const idempotent = call.idempotent ?? call.method !== 'POST';
	const retryNote = idempotent || (outcome.kind === 'network' && !outcome.sent)
		? ''
		: ' It was not retried because it may have been carried out: check before running it again.';
	return new HttpError(message, undefined, {hint: hints.network + retryNote, cause: outcome.error});
}

/** The error of an answer longer than the call's cap: lp-onboard stopped reading it. */
function tooLargeError(call: HttpCall, url: URL, maxBytes: number): HttpError {
	return new HttpError(
		`${call.what} failed: the answer from ${url.host} is too large (over ${formatSize(maxBytes)}); `
			+ 'lp-onboard stopped reading it.',
		undefined,
		{hint: 'No LivePerson answer is that large: check --csds-url (LP_CSDS_URL) and the URL, or narrow the request.'},
	);
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
`{error: {internalCode}}` or `{error, internalCode}` (Login Service) or `oauth_problem=…` (OAuth). Only short
identifiers, never free text.
*/
export function serviceCode(text: string): string | undefined {
	let candidate: unknown;
	if (text.startsWith('oauth_problem=')) {
		candidate = new URLSearchParams(text).get('oauth_problem');
	} else {
		try {
			const json = JSON.parse(text) as {
				code?: unknown;
				errorCode?: unknown;
				error?: {internalCode?: unknown};
				internalCode?: unknown;
			} | undefined;
			// A failed login has `{error: "…", internalCode}` (node-agent-sdk's ExternalServices.js), the rest
			// `{error: {internalCode}}`.
			candidate = json?.code ?? json?.errorCode ?? json?.error?.internalCode ?? json?.internalCode;
		} catch {
			return undefined;
		}
	}

	const value = typeof candidate === 'number' ? String(candidate) : candidate;
	return typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value) ? value : undefined;
}

/**
What the service says went wrong, in its own words, from LivePerson's error shapes: `{error: {message}}` (Login
Service, account configuration APIs), `{error: "…"}` (a failed login), `{message}` (Functions V2), `{errorMsg}`
(Functions V1), `{error_description}` (OAuth 2.0). Control and bidirectional characters become spaces (an answer never
moves the terminal's cursor or colours), and it is cut at 200 characters.
*/
export function serviceMessage(text: string): string | undefined {
	let candidate: unknown;
	try {
		const json = JSON.parse(text) as {
			error?: unknown;
			error_description?: unknown;
			message?: unknown;
			errorMsg?: unknown;
		} | undefined;
		const nested = json?.error && typeof json.error === 'object' ? (json.error as {message?: unknown}).message : undefined;
		candidate = json?.error_description ?? (typeof json?.error === 'string' ? json.error : nested) ?? json?.message ?? json?.errorMsg;
	} catch {
		return undefined;
	}

	if (typeof candidate !== 'string') {
		return undefined;
	}

	const clean = candidate.replaceAll(/[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\s]+/g, ' ').trim();
	return clean === '' ? undefined : (clean.length > 200 ? `${clean.slice(0, 199)}…` : clean);
}

/** Every string a call carries that could be a secret: its credentials and the values of its body and form. */
function carried(call: HttpCall): string[] {
	const found: string[] = [];
	const walk = (value: unknown, depth: number) => {
		if (typeof value === 'string') {
			found.push(value);
		} else if (value && typeof value === 'object' && depth < 5) {
			for (const inner of Object.values(value)) {
				walk(inner, depth + 1);
			}
		}
	};

	walk(call.auth && 'authorizer' in call.auth ? undefined : call.auth, 0);
	walk(call.body, 0);
	walk(call.form, 0);
	return found;
}

/**
A service's words with anything secret-shaped taken out: a value the call carried (a service may echo what it was
sent), and any long run of letters and digits (a token, a key, a secret it may have named).
*/
function withoutSecrets(said: string | undefined, call: HttpCall): string | undefined {
	if (said === undefined) {
		return undefined;
	}

	let clean = said;
	for (const value of carried(call).filter(value => value.length >= 4)) {
		clean = clean.replaceAll(value, '…');
	}

	return clean.replaceAll(/[\w.~+/=-]{20,}/g, word => (/\d/.test(word) && /[a-z]/i.test(word) ? '…' : word));
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
