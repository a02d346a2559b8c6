import {createServer, type RequestListener, type Server} from 'node:http';
import {createServer as createTlsServer} from 'node:https';
import type {Socket} from 'node:net';
import {EnvironmentError} from '../errors.js';
import {shellQuote} from '../system/shell.js';
import {createFaultList, type Fault} from './faults.js';
import {createNonceWindow} from './nonces.js';
import type {Engine} from './http.js';
import {createRequestLog, type SandboxRequestLogEntry} from './request-log.js';
import {createDemoData, type DemoData} from './seed.js';
import {acceptFunctionsUi, functionsUiPath} from './routes/functions.js';
import {createRequestHandler} from './serve.js';
import {loadSigningKey} from './signing-key.js';
import {createStateFile, memoryStore} from './state-file.js';
import {type SandboxCertificate, sandboxCertificate} from './tls.js';
import {type AccountState, type AccountStateSnapshot, createAccounts, snapshot} from './state.js';

export type {AccountStateSnapshot} from './state.js';
export type {DemoAccount, DemoAccountId, DemoData, DemoUser} from './seed.js';
export type {SandboxRequestLogEntry} from './request-log.js';
export {type Fault, type FaultKind, faultKinds} from './faults.js';

export type SandboxOptions = {
	/** 0 picks a free port. @default 0 */
	port?: number;
	/** Millisecond clock for sessions and infrastructure progress. @default Date.now */
	now?: () => number;
	/** How long V2 infrastructure provisioning takes. @default 8000 */
	infrastructureMs?: number;
	/**
	A JSON file that keeps the accounts' state (users, provisioning, sessions) between sandbox runs: read at start when it
	exists and is readable, written after every change. Without it, state lives in memory only.
	*/
	stateFile?: string;
	/** How many requests `requests()` keeps (the newest). @default 10000 */
	requestLogSize?: number;
	/**
	Serve https with a certificate from the sandbox's own CA, kept in `directory` (docs/contract.md "TLS"). CSDS then hands
	out `127.0.0.1:PORT` for every service, which the certificate carries, so clients need no name resolution of their own.
	*/
	tls?: {readonly directory: string; readonly extraNames?: readonly string[]; readonly searchPath?: string};
	/** The server's connection limits (ms); `sandboxTimeouts` by default. */
	timeouts?: Partial<SandboxTimeouts>;
};

export type SandboxTimeouts = {
	/** Until a request's headers are all in (an idle new connection, or one byte at a time). */
	readonly headersMs: number;
	/** Until the whole request, body included, is in (a slow body). */
	readonly requestMs: number;
	/** An idle keep-alive connection between requests. */
	readonly keepAliveMs: number;
};

/** Long enough for any real client on this machine, short enough that idle or trickling connections do not pile up. */
export const sandboxTimeouts: SandboxTimeouts = {headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5000};

export type Sandbox = {
	/** `http://127.0.0.1:PORT` (`https://` with `tls`), the CSDS base URL. */
	readonly url: string;
	/** With `tls`: the CA certificate a client must trust. */
	readonly caFile: string | undefined;
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
	/**
	The LivePerson requests answered or faulted (status 0: reset or hanging), oldest first: the newest `requestLogSize`.
	Control routes are left out.
	*/
	requests(): readonly SandboxRequestLogEntry[];
	/** The account's stand-in for the Functions UI page (docs/contract.md). */
	functionsUiUrl(accountId: string): string;
	/** Does what the page's form does (the admin's click in the Functions UI). Throws for an unknown account. */
	acceptFunctionsUi(accountId: string): Promise<void>;
	/** Stops listening and destroys every connection, hanging ones included. */
	close(): Promise<void>;
};

/**
Starts the embedded LivePerson sandbox on 127.0.0.1: CSDS, Login Service, Users API and the Functions provisioning
endpoints of docs/contract.md, with seeded demo accounts. Every instance has its own in-memory state (and, with
`stateFile`, a file).
*/
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const now = options.now ?? Date.now;
	const infrastructureMs = options.infrastructureMs ?? 8000;
	const demo = createDemoData();
	const faults = createFaultList();
	const log = createRequestLog(options.requestLogSize ?? 10_000);
	const timers = createTimers();
	let store = memoryStore;
	let skew = 0;
	let engine: Engine | undefined;

	const state = (accountId: string): AccountStateSnapshot => {
		const account = engine?.accounts.get(accountId);
		if (!engine || !account) {
			throw new Error(`The sandbox has no account ${accountId}.`);
		}

		store.refresh();
		return snapshot(account, engine.sessions.values(), now(), infrastructureMs);
	};

	const requests = (): SandboxRequestLogEntry[] => log.entries();
	const setClockSkew = (ms: number) => {
		skew = ms;
	};

	const handler = createRequestHandler({
		faults,
		engine: () => engine,
		serverNow: () => now() + skew,
		get store() {
			return store;
		},
		state,
		setClockSkew,
		requests,
		log(entry) {
			log.push(entry);
		},
		sleep: timers.sleep,
	});
	// Before listening: no request meets a sandbox that is still making its key.
	const sentinelKey = await loadSigningKey(options.stateFile);
	const certificate = options.tls ? await sandboxCertificate(options.tls.directory, options.tls) : undefined;
	const {server, destroyConnections} = createHttpServer(handler, certificate, {...sandboxTimeouts, ...options.timeouts});
	await listen(server, options.port ?? 0);
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const accounts = createAccounts(demo, port, new Date(now()).toISOString());
	const url = `${certificate ? 'https' : 'http'}://127.0.0.1:${port}`;
	const ready: Engine = {
		accounts,
		sessions: new Map(),
		nonces: createNonceWindow(),
		now,
		serverNow: () => now() + skew,
		infrastructureMs,
		port,
		tls: Boolean(certificate),
		sentinelKey,
		nextUserId: userIds(accounts),
	};
	if (options.stateFile !== undefined) {
		store = createStateFile(options.stateFile, ready);
	}

	engine = ready;

	let closing: Promise<void> | undefined;
	return {
		url,
		port,
		caFile: certificate?.caFile,
		demo,
		addFault: fault => faults.add(fault),
		clearFaults() {
			faults.clear();
		},
		setClockSkew,
		state,
		requests,
		functionsUiUrl: accountId => `${url}${functionsUiPath(accountId)}`,
		async acceptFunctionsUi(accountId) {
			if (!(await store.transact(() => acceptFunctionsUi(ready, accountId)))) {
				throw new Error(`The sandbox has no account ${accountId}.`);
			}
		},
		async close() {
			closing ??= new Promise<void>(resolve => {
				timers.clear();
				server.close(() => {
					void store.close().finally(resolve);
				});
				destroyConnections();
			});
			return closing;
		},
	};
}

/** Latency faults' waits, all cut short by `clear()` when the sandbox closes. */
function createTimers() {
	const timers = new Set<NodeJS.Timeout>();
	return {
		sleep: async (ms: number) => new Promise<void>(resolve => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		}),
		clear() {
			for (const timer of timers) {
				clearTimeout(timer);
			}

			timers.clear();
		},
	};
}

/** Hands out user ids above every id in use, which another process sharing the state file may have handed out. */
function userIds(accounts: Map<string, AccountState>): () => string {
	let userCounter = 5_000_000;
	return () => {
		for (const account of accounts.values()) {
			for (const user of account.users) {
				userCounter = Math.max(userCounter, Number(user.id) || 0);
			}
		}

		userCounter++;
		return String(userCounter);
	};
}

/** The http or https server (with `certificate`), its connection limits, and a way to end every connection at close. */
function createHttpServer(
	handler: RequestListener,
	certificate: SandboxCertificate | undefined,
	limits: SandboxTimeouts,
) {
	// Idle and trickling connections are checked every second, not every 30 s (Node's default).
	const serverOptions = {connectionsCheckingInterval: 1000};
	const server = certificate
		? createTlsServer({...serverOptions, key: certificate.key, cert: certificate.cert}, handler)
		: createServer(serverOptions, handler);
	limitConnections(server, limits);
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return {
		server,
		destroyConnections() {
			server.closeAllConnections();
			for (const socket of sockets) {
				socket.destroy();
			}
		},
	};
}

/**
Connection limits (issue: idle and one-byte connections stayed open for minutes): headers, whole request and keep-alive
idle time, checked every second, and a socket that sends nothing for the request time is closed.
*/
function limitConnections(server: Server, timeouts: SandboxTimeouts): void {
	server.headersTimeout = timeouts.headersMs;
	server.requestTimeout = timeouts.requestMs;
	server.keepAliveTimeout = timeouts.keepAliveMs;
	server.setTimeout(timeouts.requestMs, socket => {
		socket.destroy();
	});
}

async function listen(server: Server, port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	}).catch((error: unknown) => {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE' || code === 'EACCES') {
			throw new EnvironmentError(
				code === 'EADDRINUSE' ? `Port ${port} is in use: the sandbox cannot listen on 127.0.0.1:${port}.` : `The sandbox may not listen on port ${port} (ports below 1024 need privileges).`,
				`Pick another port with --port (or --port 0 for a free one)${code === 'EADDRINUSE' ? `, or stop what listens there (\`ss -ltnp 'sport = :${port}'\`)` : ''}.`,
				{cause: error},
			);
		}

		throw error;
	});
}

/**
The lines `lp-onboard sandbox` prints: where the sandbox listens and the demo logins and API keys (sandbox-only values).
*/
export function formatDemo(sandbox: Pick<Sandbox, 'url' | 'demo' | 'state' | 'caFile'>, {inProcess = false}: {inProcess?: boolean} = {}): string[] {
	// An in-process sandbox ends with the command: its URL and pages are no use to another terminal, which reaches the
	// same state with --sandbox instead.
	const lines = inProcess
		? ['Another terminal reaches the same sandbox state with --sandbox.', 'Every value below is a sandbox-only demo value.']
		: [
			`LivePerson sandbox listening on ${sandbox.url}`,
			`Use it as the CSDS URL: --csds-url ${sandbox.url} (or LP_CSDS_URL=${sandbox.url}).`,
			...(sandbox.caFile ? trustLines(sandbox.url, sandbox.caFile) : []),
			'Every value below is a sandbox-only demo value.',
		];
	for (const account of Object.values(sandbox.demo.accounts)) {
		// From the live state: with a state file, an earlier run may have provisioned the account since the seed.
		const what = sandbox.state(account.accountId).feature.active ? 'Functions active' : 'Functions not provisioned';
		lines.push(
			'',
			`Account ${account.accountId} (V${account.functionsVersion}, ${what})`,
			...(inProcess ? [] : [`  Functions UI page: ${sandbox.url}${functionsUiPath(account.accountId)}`]),
			...account.users.map(user => `  user ${user.loginName} / ${user.password}${user.isAdmin ? ' (admin)' : ''}`),
			...(account.botLoginName ? [`  bot user ${account.botLoginName} (logs in with the OAuth 2.0 client or the API key)`] : []),
			'  OAuth 2.0 client:',
			`    client id           ${account.client.clientId}`,
			`    client secret       ${account.client.clientSecret}`,
			`    scopes              ${account.client.scopes.join(' ')}`,
			account.acceptsOAuth1 ? '  API key (OAuth 1.0, legacy):' : '  API key (OAuth 1.0, refused: this account is past its end of life):',
			`    app key             ${account.apiKey.appKey}`,
			`    secret              ${account.apiKey.appSecret}`,
			`    access token        ${account.apiKey.accessToken}`,
			`    access token secret ${account.apiKey.accessTokenSecret}`,
		);
	}

	return lines;
}

/** What each common client needs to trust the TLS sandbox's CA: one variable or flag apiece. */
export function trustLines(url: string, caFile: string): string[] {
	const {host} = new URL(url);
	const quoted = shellQuote(caFile);
	return [
		`TLS: the certificate is signed by the sandbox's own CA, ${caFile}`,
		`  Node (lp-onboard, lpf, node-agent-sdk): NODE_EXTRA_CA_CERTS=${quoted}`,
		`  curl: curl --cacert ${quoted} ${shellQuote(`${url}/api/account/12345678/service/baseURI.json?version=1.0`)}`,
		`  Python requests: REQUESTS_CA_BUNDLE=${quoted}`,
		`  node-agent-sdk: new Agent({accountId, username, password, csdsDomain: '${host}'})`,
	];
}
