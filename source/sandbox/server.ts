import {randomBytes} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {dirname} from 'node:path';
import type {Socket} from 'node:net';
import {
	type Engine, lpErrorBody, matchRoute, type SandboxRequest, type SandboxResponse,
} from './liveperson.js';
import {createDemoData, type DemoData} from './seed.js';
import {
	type AccountStateSnapshot, createAccounts, persistState, restoreState, snapshot,
} from './state.js';

export type {AccountStateSnapshot} from './state.js';
export type {DemoAccount, DemoAccountId, DemoData, DemoUser} from './seed.js';

export const faultKinds = ['latency', 'status', 'reset', 'hang', 'malformed'] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
Something to go wrong on purpose, for testing the client's retry and error paths. Faults are checked in the order they were
added, before routing; the first that matches a request takes it. Control routes (`/__sandbox/…`) are never faulted.
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

export type SandboxOptions = {
	/** 0 picks a free port. @default 0 */
	port?: number;
	/** Millisecond clock for sessions and infrastructure progress. @default Date.now */
	now?: () => number;
	/** How long V2 infrastructure provisioning takes. @default 8000 */
	infrastructureMs?: number;
	/**
	A JSON file that keeps the accounts' state (users, provisioning, sessions) between sandbox runs: read at start when it exists
	and is readable, written after every change. Without it, state lives in memory only.
	*/
	stateFile?: string;
};

export type SandboxRequestLogEntry = {readonly method: string; readonly path: string; readonly status: number};

export type Sandbox = {
	/** `http://127.0.0.1:PORT`, the CSDS base URL. */
	readonly url: string;
	readonly port: number;
	/** Seeded accounts, users, passwords and API keys. */
	readonly demo: DemoData;
	/** Returns the fault's id. Throws a TypeError for an invalid fault. */
	addFault(fault: Fault): string;
	clearFaults(): void;
	/** Offsets the server clock that OAuth timestamps are checked against (and that bodies show). */
	setClockSkew(ms: number): void;
	/** A deep copy of one account's state. Throws for an unknown account. */
	state(accountId: string): AccountStateSnapshot;
	/** Every LivePerson request answered or faulted (status 0: reset or hanging), in order. Control routes are left out. */
	requests(): readonly SandboxRequestLogEntry[];
	/** Stops listening and destroys every connection, hanging ones included. */
	close(): Promise<void>;
};

type ActiveFault = Fault & {readonly id: string; remaining: number};

/**
Starts the embedded LivePerson sandbox on 127.0.0.1: CSDS, Login Service, Users API and the Functions provisioning endpoints
of docs/contract.md, with seeded demo accounts. Every instance has its own in-memory state.
*/
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const now = options.now ?? Date.now;
	const infrastructureMs = options.infrastructureMs ?? 8000;
	const demo = createDemoData();
	const faults: ActiveFault[] = [];
	const log: SandboxRequestLogEntry[] = [];
	const timers = new Set<NodeJS.Timeout>();
	let faultCounter = 0;
	let userCounter = 5_000_000;
	let skew = 0;
	let engine: Engine | undefined;

	const addFault = (fault: Fault): string => {
		const problem = faultProblem(fault);
		if (problem) {
			throw new TypeError(`Invalid fault: ${problem}`);
		}

		const id = `fault-${++faultCounter}`;
		faults.push({...structuredClone(fault), id, remaining: fault.times ?? Number.POSITIVE_INFINITY});
		return id;
	};

	const takeFault = (method: string, path: string, host: string): ActiveFault | undefined => {
		const index = faults.findIndex(({match}) => (match?.method === undefined || match.method.toUpperCase() === method.toUpperCase())
			&& (match?.path === undefined || path.includes(match.path))
			&& (match?.host === undefined || host.toLowerCase().includes(match.host.toLowerCase())));
		const fault = faults[index];
		if (fault && --fault.remaining <= 0) {
			faults.splice(index, 1);
		}

		return fault;
	};

	const state = (accountId: string): AccountStateSnapshot => {
		const account = engine?.accounts.get(accountId);
		if (!engine || !account) {
			throw new Error(`The sandbox has no account ${accountId}.`);
		}

		return snapshot(account, engine.sessions.values(), now(), infrastructureMs);
	};

	const send = (request: IncomingMessage, response: ServerResponse, answer: SandboxResponse, path: string, logged: boolean) => {
		let body = '';
		const headers: Record<string, string> = {};
		if (answer.json !== undefined) {
			body = JSON.stringify(answer.json);
			headers['content-type'] = 'application/json; charset=utf-8';
		} else if (answer.text !== undefined) {
			body = answer.text;
			headers['content-type'] = 'text/plain; charset=utf-8';
		}

		Object.assign(headers, answer.headers);
		headers['content-length'] = String(Buffer.byteLength(body));
		if (logged) {
			log.push({method: request.method ?? 'GET', path, status: answer.status});
		}

		response.writeHead(answer.status, headers);
		response.end(body);
	};

	const control = (method: string, path: string, body: string): SandboxResponse => {
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
					return {status: 201, json: {id: addFault(json as Fault)}};
				} catch (error) {
					return {status: 400, json: {message: (error as Error).message}};
				}
			}

			if (method === 'DELETE') {
				faults.length = 0;
				return {status: 204};
			}

			if (method === 'GET') {
				return {status: 200, json: faults.map(({remaining, ...fault}) => ({...fault, ...(Number.isFinite(remaining) ? {times: remaining} : {})}))};
			}
		}

		const stateMatch = /^\/__sandbox\/state\/([^/]+)$/.exec(path);
		if (stateMatch && method === 'GET') {
			try {
				return {status: 200, json: state(decodeURIComponent(stateMatch[1]!))};
			} catch (error) {
				return {status: 404, json: {message: (error as Error).message}};
			}
		}

		if (path === '/__sandbox/clock-skew' && method === 'POST') {
			const ms = typeof json === 'object' && json !== null ? (json as {ms?: unknown}).ms : undefined;
			if (typeof ms !== 'number' || !Number.isFinite(ms)) {
				return {status: 400, json: {message: 'Body must be {"ms": number}.'}};
			}

			skew = ms;
			return {status: 200, json: {ms}};
		}

		if (path === '/__sandbox/requests' && method === 'GET') {
			return {status: 200, json: log};
		}

		return {status: 404, json: {message: 'Control routes: POST|GET|DELETE /__sandbox/faults, GET /__sandbox/state/{accountId}, POST /__sandbox/clock-skew, GET /__sandbox/requests.'}};
	};

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const method = request.method ?? 'GET';
		const rawUrl = request.url ?? '/';
		const queryStart = rawUrl.indexOf('?');
		const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
		const search = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);

		if (path.startsWith('/__sandbox/')) {
			send(request, response, control(method, path, await readBody(request)), path, false);
			return;
		}

		if (!engine) {
			send(request, response, {status: 503, json: lpErrorBody(now() + skew, 503, 'The sandbox is starting.', 503)}, path, true);
			return;
		}

		const route = matchRoute(engine, method, path);
		const account = route && engine.accounts.get(route.accountId);
		if (route && account) {
			account.requestCounts.set(route.name, (account.requestCounts.get(route.name) ?? 0) + 1);
		}

		const fault = takeFault(method, path, request.headers.host ?? '');
		switch (fault?.kind) {
			case 'reset': {
				log.push({method, path, status: 0});
				request.socket.resetAndDestroy();
				return;
			}

			case 'hang': {
				log.push({method, path, status: 0});
				return;
			}

			case 'malformed': {
				send(request, response, {
					status: 200,
					headers: {'content-type': 'application/json; charset=utf-8'},
					text: '{"baseURIs":[{"service":"agentVep","account":"1234',
				}, path, true);
				return;
			}

			case 'status': {
				const status = fault.status ?? 500;
				send(request, response, {
					status,
					headers: fault.retryAfter === undefined ? {} : {'retry-after': String(fault.retryAfter)},
					json: lpErrorBody(engine.serverNow(), status, `Sandbox fault ${fault.id}: status ${status}.`, status),
				}, path, true);
				return;
			}

			case 'latency': {
				await new Promise<void>(resolve => {
					const timer = setTimeout(() => {
						timers.delete(timer);
						resolve();
					}, fault.ms ?? 0);
					timers.add(timer);
				});
				break;
			}

			case undefined: {
				break;
			}
		}

		const body = await readBody(request);
		const sandboxRequest: SandboxRequest = {
			method,
			pathname: path,
			search,
			searchParams: new URLSearchParams(search),
			headers: request.headers,
			body,
		};
		const answer = route
			? route.handle(sandboxRequest)
			: {status: 404, json: lpErrorBody(engine.serverNow(), 404, `No sandbox route for ${method} ${path}.`, 404)};
		if (!response.destroyed) {
			send(request, response, answer, path, true);
		}

		if (method !== 'GET' && answer.status < 400) {
			save();
		}
	};

	const save = () => {
		if (options.stateFile === undefined || !engine) {
			return;
		}

		mkdirSync(dirname(options.stateFile), {recursive: true});
		const temporary = `${options.stateFile}.${randomBytes(6).toString('hex')}.tmp`;
		writeFileSync(temporary, `${JSON.stringify(persistState(engine.accounts, engine.sessions), undefined, '\t')}\n`, {mode: 0o600});
		renameSync(temporary, options.stateFile);
	};

	const server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent && !response.destroyed) {
				send(request, response, {status: 500, json: lpErrorBody(now() + skew, 500, `Sandbox error: ${String(error)}`, 500)}, request.url ?? '/', true);
			}
		});
	});
	const sockets = new Set<Socket>();
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	engine = {
		accounts: createAccounts(demo, port, new Date(now()).toISOString()),
		sessions: new Map(),
		nonces: new Map(),
		now,
		serverNow: () => now() + skew,
		infrastructureMs,
		port,
		nextUserId: () => String(++userCounter),
	};
	if (options.stateFile !== undefined) {
		try {
			restoreState(JSON.parse(readFileSync(options.stateFile, 'utf8')), engine.accounts, engine.sessions);
		} catch {
			// No file yet, or one that is not ours: start from the seed.
		}

		const highest = Math.max(userCounter, ...[...engine.accounts.values()].flatMap(account => account.users.map(user => Number(user.id) || 0)));
		userCounter = highest;
	}

	let closing: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		demo,
		addFault,
		clearFaults() {
			faults.length = 0;
		},
		setClockSkew(ms) {
			skew = ms;
		},
		state,
		requests: () => log.map(entry => ({...entry})),
		async close() {
			closing ??= new Promise<void>(resolve => {
				for (const timer of timers) {
					clearTimeout(timer);
				}

				timers.clear();
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
				for (const socket of sockets) {
					socket.destroy();
				}
			});
			return closing;
		},
	};
}

/** The lines `lp-onboard sandbox` prints: where the sandbox listens and the demo logins and API keys (sandbox-only values). */
export function formatDemo(sandbox: Pick<Sandbox, 'url' | 'demo' | 'state'>): string[] {
	const lines = [
		`LivePerson sandbox listening on ${sandbox.url}`,
		`Use it as the CSDS URL: --csds-url ${sandbox.url} (or LP_CSDS_URL=${sandbox.url}).`,
		'Every value below is a sandbox-only demo value.',
	];
	for (const account of Object.values(sandbox.demo.accounts)) {
		// From the live state: with a state file, an earlier run may have provisioned the account since the seed.
		const what = sandbox.state(account.accountId).feature.active ? 'Functions active' : 'Functions not provisioned';
		lines.push(
			'',
			`Account ${account.accountId} (V${account.functionsVersion}, ${what})`,
			...account.users.map(user => `  user ${user.loginName} / ${user.password}${user.isAdmin ? ' (admin)' : ''}`),
			...(account.botLoginName ? [`  bot user ${account.botLoginName} (API key login)`] : []),
			'  API key:',
			`    app key             ${account.apiKey.appKey}`,
			`    secret              ${account.apiKey.appSecret}`,
			`    access token        ${account.apiKey.accessToken}`,
			`    access token secret ${account.apiKey.accessTokenSecret}`,
		);
	}

	return lines;
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

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks).toString('utf8');
}
