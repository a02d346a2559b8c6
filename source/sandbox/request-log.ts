export type SandboxRequestLogEntry = {readonly method: string; readonly path: string; readonly status: number};

export type RequestLog = {
	push(entry: SandboxRequestLogEntry): void;
	/** The entries still held, oldest first, as copies. */
	entries(): SandboxRequestLogEntry[];
};

/** A ring of the last `capacity` requests, so a long-running sandbox keeps flat memory. */
export function createRequestLog(capacity: number): RequestLog {
	if (!Number.isInteger(capacity) || capacity < 1) {
		throw new RangeError(`requestLogSize must be a positive integer, not ${capacity}.`);
	}

	const ring: SandboxRequestLogEntry[] = [];
	let next = 0;
	return {
		push(entry) {
			if (ring.length < capacity) {
				ring.push(entry);
			} else {
				ring[next] = entry;
			}

			next = (next + 1) % capacity;
		},
		entries() {
			const ordered = ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)];
			return ordered.map(entry => ({...entry}));
		},
	};
}
