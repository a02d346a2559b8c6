import type {IncomingHttpHeaders} from 'node:http';
import {isRecord, parseJson, type SandboxResponse} from './http.js';
import type {Fault, FaultList} from './faults.js';
import type {SandboxRequestLogEntry} from './request-log.js';
import type {AccountStateSnapshot} from './state.js';

export type ControlPorts = {
	readonly faults: FaultList;
	state(accountId: string): AccountStateSnapshot;
	setClockSkew(ms: number): void;
	requests(): readonly SandboxRequestLogEntry[];
};

const usage = 'Control routes: POST|GET|DELETE /__sandbox/faults, GET /__sandbox/state/{accountId}, POST /__sandbox/clock-skew, GET /__sandbox/requests.';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
Why a control request is refused, or undefined. Control routes change what the sandbox does, so only this machine's own
tools may call them: the Host must be a loopback name (a DNS-rebinding page sends its own name), an Origin must be the
sandbox itself, and a body must be JSON (a cross-origin form or `text/plain` POST needs no CORS preflight; JSON does).
*/
export function controlRefusal(method: string, headers: IncomingHttpHeaders, port: number, scheme = 'http'): SandboxResponse | undefined {
	const host = headers.host ?? '';
	const hostname = host.replace(/:\d+$/, '').toLowerCase();
	if (!loopbackHosts.has(hostname)) {
		return {status: 403, json: {message: `Control routes answer on 127.0.0.1:${port} only, not on Host ${JSON.stringify(host)}.`}};
	}

	const {origin} = headers;
	if (origin !== undefined && origin.toLowerCase() !== `${scheme}://${host.toLowerCase()}`) {
		return {status: 403, json: {message: `Control routes refuse cross-origin requests (Origin ${JSON.stringify(origin)}).`}};
	}

	const hasBody = ['POST', 'PUT', 'PATCH'].includes(method) || Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
	if (hasBody && !/^application\/json\s*(?:;|$)/i.test(headers['content-type'] ?? '')) {
		return {status: 415, json: {message: 'Control routes take Content-Type: application/json.'}};
	}

	return undefined;
}

/** The sandbox's own HTTP control surface (`/__sandbox/…`), for tests and scripts in another process. */
export function answerControl(ports: ControlPorts, method: string, path: string, body: string): SandboxResponse {
	const json = parseJson(body);
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
		const ms = isRecord(json) ? json['ms'] : undefined;
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
