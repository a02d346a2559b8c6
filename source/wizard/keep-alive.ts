import type {Clock} from '../clock.js';
import {HttpError} from '../errors.js';
import type {Domains, LivePersonApi, LoginBody, Session} from '../liveperson/types.js';

/** The docs say refresh every 3–5 minutes; the retry-policy table says 5 (docs/liveperson-api.md §2.2, §7). */
export const keepAliveIntervalMs = 5 * 60 * 1000;

/**
The slower outer retry of a login that failed after the HTTP client's own retries (LivePerson's retry policy: "every 2
minutes or … exponential backoff … after 2 minutes, 4 minutes, 8 minutes, and so on", docs/liveperson-api.md §7).
lp-onboard doubles from 2 minutes and stays at 8 (the policy names no ceiling; this is the project's).
*/
export const reloginDelaysMs = [2, 4, 8].map(minutes => minutes * 60 * 1000);

/**
Whether a failed login is worth the outer retry: an outage (5xx, no answer, a dropped connection) or 429. Any other
4xx is the request's own fault and is not retried (the policy's "do not retry"; 451 is a blacklisted account or user).
*/
export function reloginRetryable(error: unknown): boolean {
	if (!(error instanceof HttpError)) {
		return false;
	}

	return error.status === undefined || error.status === 429 || error.status >= 500;
}

export type KeepAliveOptions = {
	readonly api: Pick<LivePersonApi, 'refresh' | 'login'>;
	readonly session: Session;
	readonly domains: Domains;
	readonly clock: Pick<Clock, 'sleep'>;
	/** @default 300_000 (5 minutes) */
	readonly intervalMs?: number;
	/** Stops the keep-alive when aborted. */
	readonly signal?: AbortSignal;
	/** Called with every failed refresh or re-login; the keep-alive stops after a 401 it could not recover from. */
	readonly onError?: (error: unknown) => void;
	/**
	What to log in with again when a refresh gets 401 (the session expired or was logged out). Without it, a 401 stops the
	keep-alive.
	*/
	readonly login?: LoginBody;
	/** Called with the new session after a re-login. */
	readonly onSession?: (session: Session) => void;
};

export type KeepAlive = {
	/** The current session (a new one after a re-login). */
	readonly session: Session;
	/** Successful refreshes so far. */
	readonly refreshes: number;
	/** Settles when the keep-alive has stopped (stopped, aborted, or a 401 that re-login could not fix). */
	readonly done: Promise<void>;
	stop(): Promise<void>;
};

/**
Keeps a Login Service session alive: `POST /refresh` on a schedule, as the docs ask of long-running clients. A 401
(session expired or logged out elsewhere) gets a re-login, like LivePerson's Node Agent SDK does; a re-login that
fails while LivePerson is out is tried again after 2, 4, then every 8 minutes, one it refuses stops the keep-alive.
Other refresh errors are reported and the schedule goes on.
*/
export function startKeepAlive(options: KeepAliveOptions): KeepAlive {
	const {api, domains, clock, intervalMs = keepAliveIntervalMs, onError = () => {}} = options;
	const controller = new AbortController();
	const abort = () => {
		controller.abort();
	};

	options.signal?.addEventListener('abort', abort, {once: true});
	if (options.signal?.aborted) {
		abort();
	}

	let session = options.session;
	let refreshes = 0;
	const {signal} = controller;

	/** Logs in again, with the outer retry while LivePerson is out; undefined when it stopped (aborted, or refused). */
	const relogin = async (body: LoginBody): Promise<Session | undefined> => {
		for (let attempt = 0; ; attempt++) {
			try {
				return await api.login(session.accountId, domains, body, {signal});
			} catch (error) {
				if (signal.aborted) {
					return undefined;
				}

				onError(error);
				if (!reloginRetryable(error)) {
					return undefined;
				}
			}

			try {
				await clock.sleep(reloginDelaysMs[Math.min(attempt, reloginDelaysMs.length - 1)]!, signal);
			} catch {
				return undefined;
			}
		}
	};

	const loop = async (): Promise<void> => {
		while (!signal.aborted) {
			try {
				await clock.sleep(intervalMs, signal);
			} catch {
				return;
			}

			if (signal.aborted) {
				return;
			}

			try {
				await api.refresh(session, domains, {signal});
				refreshes++;
			} catch (error) {
				if (signal.aborted) {
					return;
				}

				if (!(error instanceof HttpError && error.status === 401)) {
					onError(error);
					continue;
				}

				if (!options.login) {
					onError(error);
					return;
				}

				const next = await relogin(options.login);
				if (!next) {
					return;
				}

				session = next;
				options.onSession?.(session);
			}
		}
	};

	const done = loop().finally(() => {
		options.signal?.removeEventListener('abort', abort);
	});

	return {
		get session() {
			return session;
		},
		get refreshes() {
			return refreshes;
		},
		done,
		async stop() {
			abort();
			await done;
		},
	};
}
