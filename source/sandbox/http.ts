import {randomBytes} from 'node:crypto';
import {STATUS_CODES, type IncomingHttpHeaders} from 'node:http';
import type {NonceWindow} from './nonces.js';
import type {SigningKey} from './signing-key.js';
import type {AccountState, StoredSession} from './state.js';

/** One request as the routes see it: already read, body as text. */
export type SandboxRequest = {
	readonly method: string;
	/** The scheme the request came in on: `https` on the TLS server, else `http`. */
	readonly scheme: 'http' | 'https';
	/** The raw path as sent, without the query. */
	readonly pathname: string;
	readonly searchParams: URLSearchParams;
	/** The raw query, without `?`. */
	readonly search: string;
	readonly headers: IncomingHttpHeaders;
	readonly body: string;
};

export type SandboxResponse = {
	readonly status: number;
	readonly headers?: Readonly<Record<string, string>>;
	/** Serialised as JSON. */
	readonly json?: unknown;
	/** Sent as is (text/plain unless a content-type header is given). */
	readonly text?: string;
};

/** What every route works on: the accounts, sessions and nonces of one sandbox, and its clocks. */
export type Engine = {
	readonly accounts: Map<string, AccountState>;
	/** By bearer. */
	readonly sessions: Map<string, StoredSession>;
	/** The OAuth nonces seen within the timestamp window, in memory. */
	readonly nonces: NonceWindow;
	/** Unskewed ms clock: sessions and infrastructure. */
	now(): number;
	/** Skewed ms clock: OAuth timestamps and the time shown in bodies. */
	serverNow(): number;
	readonly infrastructureMs: number;
	readonly port: number;
	/** Served over https: CSDS hands out `127.0.0.1:PORT` hosts (the certificate's) instead of `*.sandbox.test`. */
	readonly tls: boolean;
	/** Sentinel's RS256 key: signs the tokens and verifies them on every API (source/sandbox/signing-key.ts). */
	readonly sentinelKey: SigningKey;
	nextUserId(): string;
};

/** The Login Service / account config error body: `{error: {time, message, internalCode, responseStatus}}`. */
export function lpError(engine: Pick<Engine, 'serverNow'>, status: number, message: string, internalCode: number): SandboxResponse {
	return {status, json: lpErrorBody(engine.serverNow(), status, message, internalCode)};
}

export function lpErrorBody(time: number, status: number, message: string, internalCode: number) {
	const responseStatus = (STATUS_CODES[status] ?? 'Error').toUpperCase().replaceAll(/[^A-Z\d]+/g, '_');
	return {error: {time, message, internalCode, responseStatus}};
}

export function methodNotAllowed(engine: Pick<Engine, 'serverNow'>, allowed: string): SandboxResponse {
	return {...lpError(engine, 405, `Method not allowed; use ${allowed}.`, 405), headers: {allow: allowed}};
}

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function cookie(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? '').split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key?.toLowerCase() === name.toLowerCase()) {
			return value.join('=');
		}
	}

	return undefined;
}

export function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

export function token(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}
