export const faultKinds = ['latency', 'status', 'reset', 'hang', 'malformed'] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
Something to go wrong on purpose, for testing the client's retry and error paths. Faults are checked in the order they
were added, before routing; the first that matches a request takes it. Control routes (`/__sandbox/…`) are never
faulted.
*/
export type Fault = {
	match?: {
		method?: string;
		/** Substring of the pathname. */
		path?: string;
		/** Substring of the Host header, e.g. `agentvep`. */
		host?: string;
	};
	/**
	- `latency`: wait `ms`, then answer normally.
	- `status`: answer `status` with an error body (and `Retry-After` when `retryAfter` is set).
	- `reset`: destroy the socket with a TCP RST, no answer.
	- `hang`: never answer (until `close()`).
	- `malformed`: answer 200 with truncated JSON.
	*/
	kind: FaultKind;
	/** For `status`, e.g. 500, 503, 429. */
	status?: number;
	/** Seconds; adds a `Retry-After` header to a `status` answer. */
	retryAfter?: number;
	/** For `latency`: the delay before the normal answer. */
	ms?: number;
	/** How many matching requests it hits. @default unlimited */
	times?: number;
};

export type ActiveFault = Fault & {readonly id: string; remaining: number};

export type FaultList = {
	/** Returns the fault's id. Throws a TypeError for an invalid fault. */
	add(fault: Fault): string;
	/** The first fault matching the request, counted as used. */
	take(method: string, path: string, host: string): ActiveFault | undefined;
	clear(): void;
	/** The active faults, `times` showing what is left. */
	list(): Fault[];
};

export function createFaultList(): FaultList {
	const faults: ActiveFault[] = [];
	let counter = 0;
	return {
		add(fault) {
			const problem = faultProblem(fault);
			if (problem) {
				throw new TypeError(`Invalid fault: ${problem}`);
			}

			const id = `fault-${++counter}`;
			faults.push({...structuredClone(fault), id, remaining: fault.times ?? Number.POSITIVE_INFINITY});
			return id;
		},
		take(method, path, host) {
			const index = faults.findIndex(({match}) =>
				(match?.method === undefined || match.method.toUpperCase() === method.toUpperCase())
				&& (match?.path === undefined || path.includes(match.path))
				&& (match?.host === undefined || host.toLowerCase().includes(match.host.toLowerCase())));
			const fault = faults[index];
			if (fault && --fault.remaining <= 0) {
				faults.splice(index, 1);
			}

			return fault;
		},
		clear() {
			faults.length = 0;
		},
		list: () => faults.map(({remaining, ...fault}) => ({
			...structuredClone(fault),
			...(Number.isFinite(remaining) ? {times: remaining} : {}),
		})),
	};
}

function faultProblem(fault: unknown): string | undefined {
	if (typeof fault !== 'object' || fault === null) {
		return 'a fault must be an object';
	}

	const {kind, match, status, retryAfter, ms, times} = fault as Record<string, unknown>;
	if (!faultKinds.includes(kind as FaultKind)) {
		return `kind must be one of ${faultKinds.join(', ')}`;
	}

	if (match !== undefined && (typeof match !== 'object' || match === null
		|| Object.values(match).some(value => value !== undefined && typeof value !== 'string'))) {
		return 'match must be an object of strings (method, path, host)';
	}

	if (status !== undefined && (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)) {
		return 'status must be an HTTP status code';
	}

	for (const [name, value] of Object.entries({retryAfter, ms, times})) {
		if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
			return `${name} must be a non-negative number`;
		}
	}

	if (times === 0) {
		return 'times must be at least 1';
	}

	return undefined;
}
