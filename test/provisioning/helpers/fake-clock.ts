import type {Clock} from '../../../source/clock.js';

/**
A clock whose sleeps end at once (yielding to the event loop) and move time forward by what was asked; `now` also ticks
1 ms per read so durations are never 0. `slept` lists every sleep.
*/
export function createFakeClock(start = Date.UTC(2025, 0, 1)) {
	let now = start;
	const slept: number[] = [];
	const clock: Clock = {
		now: () => now++,
		async sleep(ms, signal) {
			slept.push(ms);
			signal?.throwIfAborted();
			await new Promise<void>(resolve => {
				setImmediate(resolve);
			});
			now += ms;
			signal?.throwIfAborted();
		},
		nonce: () => Math.random().toString(16).slice(2),
	};
	return {clock, slept, advance(ms: number) {
		now += ms;
	}};
}
