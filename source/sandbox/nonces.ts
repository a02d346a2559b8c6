/**
The OAuth nonces the sandbox has seen, in memory. A nonce only needs remembering while its timestamp is inside the window:
after that the timestamp check refuses a replay. So nonces are kept in buckets by the second they may be forgotten, and
whole buckets go as the clock passes them: remembering and forgetting cost the same whatever the load, and memory is bounded
by the request rate times the window (and by `maxNonces`).
*/
export type NonceWindow = {
	/**
	Records `key` until `forgetAt` (server ms). Returns `'replay'` when it is already remembered, `'full'` when the window holds
	`maxNonces` (nothing recorded), else `'fresh'`. `now` (server ms) forgets what has expired first.
	*/
	remember(key: string, forgetAt: number, now: number): 'fresh' | 'replay' | 'full';
	readonly size: number;
	/** What is still remembered at `now`, for the state file. */
	entries(now: number): Array<[string, number]>;
	/** Adds saved entries (another process's, or an earlier run's), keeping what is already remembered. */
	merge(entries: ReadonlyArray<readonly [string, number]>, now: number): void;
	/** Counts every change, so a saver can tell whether anything is new since it last saved. */
	readonly version: number;
};

/** The sandbox's own bound: at several thousand signed requests a second, a 10-minute window stays below it. */
export const maxNonces = 2_000_000;

export function createNonceWindow(limit = maxNonces): NonceWindow {
	const forgetAtOf = new Map<string, number>();
	// Bucket second → keys. Map order is insertion order, not time order, so the sweep looks at every bucket's second; there
	// are at most the window's seconds of them.
	const buckets = new Map<number, string[]>();
	let version = 0;

	const sweep = (now: number) => {
		for (const [second, keys] of buckets) {
			if (second * 1000 <= now) {
				buckets.delete(second);
				for (const key of keys) {
					if ((forgetAtOf.get(key) ?? 0) <= now) {
						forgetAtOf.delete(key);
					}
				}
			}
		}
	};

	const add = (key: string, forgetAt: number) => {
		forgetAtOf.set(key, forgetAt);
		const second = Math.ceil(forgetAt / 1000);
		const bucket = buckets.get(second);
		if (bucket) {
			bucket.push(key);
		} else {
			buckets.set(second, [key]);
		}

		version++;
	};

	let lastSweep = Number.NEGATIVE_INFINITY;
	const sweepOncePerSecond = (now: number) => {
		if (now - lastSweep >= 1000 || now < lastSweep) {
			lastSweep = now;
			sweep(now);
		}
	};

	return {
		remember(key, forgetAt, now) {
			sweepOncePerSecond(now);
			const known = forgetAtOf.get(key);
			if (known !== undefined && known > now) {
				return 'replay';
			}

			if (forgetAtOf.size >= limit) {
				sweep(now);
				if (forgetAtOf.size >= limit) {
					return 'full';
				}
			}

			add(key, forgetAt);
			return 'fresh';
		},
		get size() {
			return forgetAtOf.size;
		},
		entries: now => [...forgetAtOf].filter(([, forgetAt]) => forgetAt > now),
		merge(entries, now) {
			for (const [key, forgetAt] of entries) {
				if (typeof key === 'string' && typeof forgetAt === 'number' && forgetAt > now && (forgetAtOf.get(key) ?? 0) < forgetAt) {
					add(key, forgetAt);
				}
			}
		},
		get version() {
			return version;
		},
	};
}
