import type {Clock} from '../clock.js';
import {HttpError} from '../errors.js';
import type {Domains, LivePersonApi, LoginBody, Session} from '../liveperson/types.js';

/** The docs say refresh every 3–5 minutes; the retry-policy table says 5 (docs/liveperson-api.md §2.2, §7). */
export const keepAliveIntervalMs = 5 * 60 * 1000;

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
(session expired or logged out elsewhere) gets one re-login, like LivePerson's Node Agent SDK does; other errors are
reported and the schedule goes on.
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

				try {
					session = await api.login(session.accountId, domains, options.login, {signal});
					options.onSession?.(session);
				} catch (loginError) {
					if (!signal.aborted) {
						onError(loginError);
					}

					return;
				}
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
