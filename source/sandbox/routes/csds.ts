import {lpError, type SandboxResponse} from '../http.js';
import type {RouteContext, RouteEntry} from '../router.js';
import {accountBaseUris} from '../state.js';

/** CSDS (Domain API, docs/contract.md "CSDS"): every service's host, or one service's host, of an account. */
export const csdsRoutes: readonly RouteEntry[] = [
	{method: 'GET', path: /^\/service\/baseURI(?:\.json)?$/, name: 'csds.all', handle: all},
	{method: 'GET', path: /^\/service\/([^/]+)\/baseURI(?:\.json)?$/, name: 'csds.one', handle: one},
];

function all({engine, request, account}: RouteContext): SandboxResponse {
	if (request.searchParams.get('version') !== '1.0') {
		return lpError(engine, 400, 'Query parameter version=1.0 is required.', 400);
	}

	return {status: 200, json: {baseURIs: account ? accountBaseUris(account, engine) : []}};
}

function one({engine, request, account, params: [service]}: RouteContext): SandboxResponse {
	if (request.searchParams.get('version') !== '1.0') {
		return lpError(engine, 400, 'Query parameter version=1.0 is required.', 400);
	}

	const entry = account && accountBaseUris(account, engine).find(candidate => candidate.service === service);
	return entry ? {status: 200, json: entry} : lpError(engine, 404, `No service ${service!} for this account.`, 404);
}
