import {
	type Engine, lpError, methodNotAllowed, safeDecode, type SandboxRequest, type SandboxResponse,
} from './http.js';
import type {AccountState} from './state.js';

export type RouteContext = {
	readonly engine: Engine;
	readonly request: SandboxRequest;
	readonly accountId: string;
	/** Undefined for an account the sandbox does not have; each route decides what that means. */
	readonly account: AccountState | undefined;
	/** The path pattern's capture groups, percent-decoded. */
	readonly params: readonly string[];
};

/** One row of the route table: method + path pattern → handler. */
export type RouteEntry = {
	/** An HTTP method, or `*` for every method no other row of the same path takes. */
	readonly method: string;
	/** Matches the path after `/api/account/{accountId}`. */
	readonly path: RegExp;
	/** Counted per account in `state().requests`. A `*` row's name gets the request's lower-case method appended. */
	readonly name: string;
	handle(context: RouteContext): SandboxResponse;
};

export type Route = {
	readonly name: string;
	readonly accountId: string;
	handle(request: SandboxRequest): SandboxResponse;
};

// The sandbox's own copy of the account id format (old Users API doc), checked as the server would.
const accountIdPattern = /^[a-zA-Z0-9_]{1,20}$/;

/** Finds the route for a request in the table (routing ignores the Host header). */
export function matchRoute(
	table: readonly RouteEntry[],
	engine: Engine,
	method: string,
	pathname: string,
): Route | undefined {
	const match = /^\/api\/account\/([^/]+)(\/.*)$/.exec(pathname);
	if (!match) {
		return undefined;
	}

	let accountId: string;
	try {
		accountId = decodeURIComponent(match[1]!);
	} catch {
		return undefined;
	}

	const rest = match[2]!;
	const hits = table.flatMap(entry => {
		const groups = entry.path.exec(rest);
		return groups ? [{entry, params: groups.slice(1).map(value => safeDecode(value ?? ''))}] : [];
	});
	if (hits.length === 0) {
		return undefined;
	}

	const hit = hits.find(({entry}) => entry.method === method) ?? hits.find(({entry}) => entry.method === '*');
	const checked = (handle: (account: AccountState | undefined) => SandboxResponse) => (): SandboxResponse =>
		accountIdPattern.test(accountId)
			? handle(engine.accounts.get(accountId))
			: lpError(engine, 400, `Invalid account id ${JSON.stringify(accountId)}.`, 400);
	if (!hit) {
		const allowed = [...new Set(hits.map(({entry}) => entry.method))].join(', ');
		return {name: hits[0]!.entry.name, accountId, handle: checked(() => methodNotAllowed(engine, allowed))};
	}

	const {entry, params} = hit;
	return {
		name: entry.method === '*' ? `${entry.name}.${method.toLowerCase()}` : entry.name,
		accountId,
		handle: request => checked(account => entry.handle({engine, request, accountId, account, params}))(),
	};
}

