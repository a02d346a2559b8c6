import type {Clock} from '../../../source/clock.js';

/**
A clock that only moves when the test says so: `sleep` waits until `advance()` has moved `now` past its deadline, and rejects
when its signal aborts. `sleepers()` says how many sleeps are waiting.
*/
export function createManualClock(start = Date.UTC(2025, 0, 1)) {
	let now = start;
	let waiting: Array<{until: number; resolve: () => void}> = [];
	const clock: Clock = {
		now: () => now,
		async sleep(ms, signal) {
			signal?.throwIfAborted();
			await new Promise<void>((resolve, reject) => {
				const entry = {
					until: now + ms,
					resolve() {
						signal?.removeEventListener('abort', onAbort);
						resolve();
					},
				};
				const onAbort = () => {
					waiting = waiting.filter(other => other !== entry);
					reject(signal!.reason as Error);
				};

				signal?.addEventListener('abort', onAbort, {once: true});
				waiting.push(entry);
			});
		},
		nonce: () => Math.random().toString(16).slice(2),
	};

	/** Lets pending promise chains (fake API calls) settle. */
	const settle = async () => {
		for (let index = 0; index < 5; index++) {
			// eslint-disable-next-line no-await-in-loop
			await new Promise<void>(resolve => {
				setImmediate(resolve);
			});
		}
	};

	return {
		clock,
		sleepers: () => waiting.length,
		settle,
		async advance(ms: number) {
			now += ms;
			const due = waiting.filter(entry => entry.until <= now);
			waiting = waiting.filter(entry => entry.until > now);
			for (const entry of due) {
				entry.resolve();
			}

			await settle();
		},
	};
}
