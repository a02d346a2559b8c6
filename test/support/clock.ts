import type {Clock} from '../../source/clock.js';

export type TestClock = Clock & {
	/** Every sleep asked for, in ms, in order. */
	readonly sleeps: number[];
	/** Moves time forward by `ms`, wakes the manual sleeps now due, then lets pending promise chains settle. */
	advance(ms: number): Promise<void>;
	/** How many manual sleeps are waiting. */
	sleepers(): number;
	/** Lets pending promise chains (fake API calls) settle. */
	settle(): Promise<void>;
};

export type TestClockOptions = {
	/**
	`quick` (the default): a sleep is recorded and ends at once, after yielding to the event loop (or after `realMs` of real
	time), and moves fake time forward by what it asked for.
	`manual`: a sleep waits until `advance()` has moved time past its end, and rejects when its signal aborts.
	*/
	readonly mode?: 'quick' | 'manual';
	/**
	Fake time starts here. Without it `now()` is real time (the sandbox checks OAuth timestamps against it) plus whatever
	`advance()` added; quick sleeps then leave it alone.
	*/
	readonly start?: number;
	/** Quick mode: real milliseconds a sleep waits at most (so real-time sandbox work, e.g. infrastructure, can progress). */
	readonly realMs?: number;
	/** Fake time moves this much at each `now()`, so that a duration measured by the code under test is never 0. */
	readonly tickMs?: number;
	/** Called with each sleep before it starts (e.g. to abort in the middle of a backoff). */
	readonly onSleep?: (ms: number) => void;
};

const tick = async (ms = 0) => new Promise<void>(resolve => {
	if (ms > 0) {
		setTimeout(resolve, ms);
	} else {
		setImmediate(resolve);
	}
});

/** The one fake clock of the tests: see `TestClockOptions` for its two modes. */
export function createTestClock(options: TestClockOptions = {}): TestClock {
	const {mode = 'quick', start, realMs = 0, tickMs = 0} = options;
	let offset = 0;
	let waiting: Array<{until: number; wake: () => void}> = [];
	const current = () => (start ?? Date.now()) + offset;
	const settle = async () => {
		for (let index = 0; index < 5; index++) {
			await tick();
		}
	};

	const sleeps: number[] = [];
	return {
		sleeps,
		now() {
			const time = current();
			offset += tickMs;
			return time;
		},
		async sleep(ms, signal) {
			sleeps.push(ms);
			options.onSleep?.(ms);
			signal?.throwIfAborted();
			if (mode === 'quick') {
				await tick(Math.min(ms, realMs));
				if (start !== undefined) {
					offset += ms;
				}

				signal?.throwIfAborted();
				return;
			}

			await new Promise<void>((resolve, reject) => {
				const onAbort = () => {
					waiting = waiting.filter(other => other !== entry);
					reject(signal!.reason as Error);
				};

				const entry = {
					until: current() + ms,
					wake() {
						signal?.removeEventListener('abort', onAbort);
						resolve();
					},
				};
				signal?.addEventListener('abort', onAbort, {once: true});
				waiting.push(entry);
			});
		},
		nonce: () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2),
		async advance(ms) {
			offset += ms;
			const due = waiting.filter(entry => entry.until <= current());
			waiting = waiting.filter(entry => entry.until > current());
			for (const entry of due) {
				entry.wake();
			}

			await settle();
		},
		sleepers: () => waiting.length,
		settle,
	};
}
