import {setTimeout as delay} from 'node:timers/promises';

/** Waits until `read()` satisfies `done`, polling; fails with the last value seen so a broken test says what it got. */
export async function waitFor(read: () => string | undefined, done: (value: string) => boolean, what: string): Promise<string> {
	let last = '';
	for (let tries = 0; tries < 400; tries++) {
		last = read() ?? '';
		if (done(last)) {
			return last;
		}

		await delay(5);
	}

	throw new Error(`Timed out waiting for ${what}. Last output:\n${last}`);
}

export type Deferred<T> = {promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void};

/** A promise with its resolve and reject at hand, for a test that decides when something finishes. */
export function deferred<T = void>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((resolve_, reject_) => {
		resolve = resolve_;
		reject = reject_;
	});
	return {promise, resolve, reject};
}
