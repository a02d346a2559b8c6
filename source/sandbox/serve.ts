import type {IncomingMessage, ServerResponse} from 'node:http';
import {answerControl, type ControlPorts, controlRefusal} from './control.js';
import type {ActiveFault, FaultList} from './faults.js';
import {type Engine, lpErrorBody, type SandboxRequest, type SandboxResponse} from './http.js';
import type {SandboxRequestLogEntry} from './request-log.js';
import {matchRoute, type Route, type RouteEntry} from './router.js';
import {csdsRoutes} from './routes/csds.js';
import {answerFunctionsUi, functionsRoutes} from './routes/functions.js';
import {loginRoutes} from './routes/login.js';
import {skillsRoutes} from './routes/skills.js';
import {answerSentinel} from './sentinel.js';
import {usersRoutes} from './routes/users.js';
import type {StateStore} from './state-file.js';

/** The largest request body the sandbox reads; a larger one is refused with 413 before it is buffered. */
export const maxBodyBytes = 1024 * 1024;

/** Every LivePerson route the sandbox answers, in the order of docs/contract.md. */
export const routeTable: readonly RouteEntry[] = [
	...csdsRoutes,
	...loginRoutes,
	...usersRoutes,
	...skillsRoutes,
	...functionsRoutes,
];

export type HandlerPorts = ControlPorts & {
	readonly faults: FaultList;
	/** Undefined until the server listens (the engine needs the port). */
	engine(): Engine | undefined;
	/** The sandbox's skewed clock, for the time in error bodies. */
	serverNow(): number;
	readonly store: StateStore;
	log(entry: SandboxRequestLogEntry): void;
	/** Waits `ms`; cut short by `close()`. */
	sleep(ms: number): Promise<void>;
};

/** The HTTP handler: control routes, then faults, then the route table; answers after the state is saved. */
export function createRequestHandler(ports: HandlerPorts) {
	const answer = (request: IncomingMessage, response: ServerResponse, path: string, reply: SandboxResponse) => {
		ports.log({method: request.method ?? 'GET', path, status: reply.status});
		send(response, reply);
	};

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const method = request.method ?? 'GET';
		const rawUrl = request.url ?? '/';
		const queryStart = rawUrl.indexOf('?');
		const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
		const search = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);

		if (path.startsWith('/__sandbox/')) {
			const refused = controlRefusal(method, request.headers, request.socket.localPort ?? 0, schemeOf(request));
			const body = refused ? '' : await readBody(request);
			send(
				response,
				refused ?? (body === undefined ? tooLarge(ports.serverNow()) : answerControl(ports, method, path, body)),
			);
			return;
		}

		const engine = ports.engine();
		if (!engine) {
			answer(request, response, path, {status: 503, json: lpErrorBody(ports.serverNow(), 503, 'The sandbox is starting.', 503)});
			return;
		}

		// The stand-in for the Functions UI: a browser page, not a LivePerson API, so it is neither logged nor faulted.
		if (path.startsWith('/sandbox/functions-ui/')) {
			await readBody(request);
			send(response, await ports.store.transact(() => answerFunctionsUi(engine, method, path) ?? {status: 404, text: 'Not found.\n'}));
			return;
		}

		const route = matchRoute(routeTable, engine, method, path);
		const account = route && engine.accounts.get(route.accountId);
		if (route && account) {
			account.requestCounts.set(route.name, (account.requestCounts.get(route.name) ?? 0) + 1);
		}

		const fault = ports.faults.take(method, path, request.headers.host ?? '');
		if (fault?.kind === 'latency') {
			await ports.sleep(fault.ms ?? 0);
		} else if (fault) {
			const faulted = faultAnswer(fault, engine.serverNow());
			if (faulted) {
				answer(request, response, path, faulted);
			} else {
				ports.log({method, path, status: 0});
				if (fault.kind === 'reset') {
					request.socket.resetAndDestroy();
				}
			}

			return;
		}

		const body = await readBody(request);
		if (body === undefined) {
			answer(request, response, path, tooLarge(engine.serverNow()));
			return;
		}

		const sandboxRequest: SandboxRequest = {
			method,
			scheme: schemeOf(request),
			pathname: path,
			search,
			searchParams: new URLSearchParams(search),
			headers: request.headers,
			body,
		};
		const reply = await routeAnswer(ports.store, engine, route, sandboxRequest);
		if (!response.destroyed) {
			answer(request, response, path, reply);
		}
	};

	return (request: IncomingMessage, response: ServerResponse) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent && !response.destroyed) {
				answer(request, response, request.url ?? '/', {status: 500, json: lpErrorBody(ports.serverNow(), 500, `Sandbox error: ${String(error)}`, 500)});
			}
		});
	};
}

function send(response: ServerResponse, answer: SandboxResponse): void {
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
	response.writeHead(answer.status, headers);
	response.end(body);
}

/** What a fault answers instead of the route; undefined for `reset` and `hang`, which answer nothing. */
function faultAnswer(fault: ActiveFault, time: number): SandboxResponse | undefined {
	switch (fault.kind) {
		case 'malformed': {
			const text = '{"baseURIs":[{"service":"agentVep","account":"1234';
			return {status: 200, headers: {'content-type': 'application/json; charset=utf-8'}, text};
		}

		case 'status': {
			const status = fault.status ?? 500;
			return {
				status,
				headers: fault.retryAfter === undefined ? {} : {'retry-after': String(fault.retryAfter)},
				json: lpErrorBody(time, status, `Sandbox fault ${fault.id}: status ${status}.`, status),
			};
		}

		case 'reset':
		case 'hang':
		case 'latency': {
			return undefined;
		}
	}
}

/**
A request's answer: Sentinel's (OAuth 2.0 tokens, JWKS: the sandbox's other host family, not under /api/account/…), the
route's (a read without lock or write; a change through the store), or the sandbox's "not modelled".
*/
async function routeAnswer(
	store: StateStore,
	engine: Engine,
	route: Route | undefined,
	request: SandboxRequest,
): Promise<SandboxResponse> {
	if (route) {
		return request.method === 'GET' || request.method === 'HEAD'
			? store.read(() => route.handle(request))
			: store.transact(() => route.handle(request));
	}

	return answerSentinel(engine, request, accountId => engine.accounts.get(accountId))
		?? notModeled(engine.serverNow(), request.method, request.pathname);
}

/**
The body as text, or undefined when it is over `maxBodyBytes`: then reading stops (the request stays paused, so the rest
is never buffered) and the answer closes the connection.
*/
async function readBody(request: IncomingMessage): Promise<string | undefined> {
	if (Number(request.headers['content-length']) > maxBodyBytes) {
		return undefined;
	}

	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const stop = () => {
			request.off('data', onData);
			request.off('end', onEnd);
			request.off('error', reject);
		};

		function onData(chunk: Buffer) {
			size += chunk.length;
			if (size > maxBodyBytes) {
				stop();
				request.pause();
				resolve(undefined);
				return;
			}

			chunks.push(chunk);
		}

		function onEnd() {
			stop();
			resolve(Buffer.concat(chunks).toString('utf8'));
		}

		request.on('data', onData);
		request.once('end', onEnd);
		request.once('error', reject);
	});
}

function schemeOf(request: IncomingMessage): 'http' | 'https' {
	return 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http';
}

/** The header that marks an answer as the sandbox's limit rather than LivePerson's (`lp-onboard api` reads it). */
export const sandboxLimitHeader = 'x-lp-sandbox-limit';

/**
A path the sandbox has no route for: 404 with a body that says so, and `sandboxLimitHeader`, so neither a person nor
`lp-onboard api` takes it for LivePerson's own 404.
*/
export function notModeled(time: number, method: string, path: string): SandboxResponse {
	const message = `The sandbox does not model this call; LivePerson does (${method} ${path}).`;
	return {status: 404, headers: {[sandboxLimitHeader]: 'not-modeled'}, json: lpErrorBody(time, 404, message, 404)};
}

function tooLarge(time: number): SandboxResponse {
	return {
		status: 413,
		headers: {connection: 'close'},
		json: lpErrorBody(time, 413, `The request body is over the sandbox's limit of ${maxBodyBytes} bytes.`, 413),
	};
}
