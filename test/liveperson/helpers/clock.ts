import type {Clock} from '../../../source/clock.js';

/**
A clock that tells the real time (the sandbox checks OAuth timestamps against it) but whose sleeps end at once and are recorded,
so backoff and Retry-After are asserted without waiting. A sleep with an aborted signal rejects, as the real one does.
*/
export function createRecordingClock(options: {readonly onSleep?: (ms: number) => void} = {}) {
	const sleeps: number[] = [];
	const clock: Clock = {
		now: () => Date.now(),
		async sleep(ms, signal) {
			sleeps.push(ms);
			options.onSleep?.(ms);
			signal?.throwIfAborted();
			await new Promise<void>(resolve => {
				setImmediate(resolve);
			});
			signal?.throwIfAborted();
		},
		nonce: () => `${Math.random().toString(16).slice(2)}${Math.random().toString(16).slice(2)}`,
	};
	return {clock, sleeps};
}
