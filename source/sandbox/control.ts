import type {SandboxResponse} from './http.js';
import type {Fault, FaultList} from './faults.js';
import type {AccountStateSnapshot} from './state.js';

export type SandboxRequestLogEntry = {readonly method: string; readonly path: string; readonly status: number};

export type ControlPorts = {
	readonly faults: FaultList;
	state(accountId: string): AccountStateSnapshot;
	setClockSkew(ms: number): void;
	requests(): readonly SandboxRequestLogEntry[];
};

const usage = 'Control routes: POST|GET|DELETE /__sandbox/faults, GET /__sandbox/state/{accountId}, POST /__sandbox/clock-skew, GET /__sandbox/requests.';

/** The sandbox's own HTTP control surface (`/__sandbox/…`), for tests and scripts in another process. */
export function answerControl(ports: ControlPorts, method: string, path: string, body: string): SandboxResponse {
	const json = (() => {
		try {
			return JSON.parse(body) as unknown;
		} catch {
			return undefined;
		}
	})();
	if (path === '/__sandbox/faults') {
		if (method === 'POST') {
			try {
				return {status: 201, json: {id: ports.faults.add(json as Fault)}};
			} catch (error) {
				return {status: 400, json: {message: (error as Error).message}};
			}
		}

		if (method === 'DELETE') {
			ports.faults.clear();
			return {status: 204};
		}

		if (method === 'GET') {
			return {status: 200, json: ports.faults.list()};
		}
	}

	const stateMatch = /^\/__sandbox\/state\/([^/]+)$/.exec(path);
	if (stateMatch && method === 'GET') {
		try {
			return {status: 200, json: ports.state(decodeURIComponent(stateMatch[1]!))};
		} catch (error) {
			return {status: 404, json: {message: (error as Error).message}};
		}
	}

	if (path === '/__sandbox/clock-skew' && method === 'POST') {
		const ms = typeof json === 'object' && json !== null ? (json as {ms?: unknown}).ms : undefined;
		if (typeof ms !== 'number' || !Number.isFinite(ms)) {
			return {status: 400, json: {message: 'Body must be {"ms": number}.'}};
		}

		ports.setClockSkew(ms);
		return {status: 200, json: {ms}};
	}

	if (path === '/__sandbox/requests' && method === 'GET') {
		return {status: 200, json: ports.requests()};
	}

	return {status: 404, json: {message: usage}};
}
