import {HttpError} from '../errors.js';
import {isBareHost} from './hosts.js';
import {type CallOptions, type Domains} from './types.js';
import {assertAccountId, isRecord, type ServiceContext} from './service.js';

/**
The most a CSDS answer may be: a real one lists about a hundred services in some 10 KB; a thousand times that is no
CSDS (an endless or hostile body ends here, not in memory).
*/
export const csdsMaxBytes = 1024 * 1024;

const notFoundHint = 'Check the account id (the LivePerson console shows it, e.g. 12345678). For a test environment, check --csds-url (LP_CSDS_URL).';

/** Statuses CSDS uses for an unknown or invalid account: they mean "not found", not "LivePerson is broken". */
const notFoundStatuses = [400, 401, 403, 404];

function accountNotFound(accountId: string): HttpError {
	return new HttpError(`Account ${accountId} was not found in CSDS.`, 404, {hint: notFoundHint});
}

/**
Looks up every service domain of an account in one anonymous CSDS call. The hosts differ per account and region, so they
are never hard-coded. Non-2xx, a missing or empty `baseURIs` list all mean the account does not resolve (the docs are
silent). A `baseURI` that is not a bare `host[:port]` (empty, or with a user name, path, query or space) is left out: it
is never used, and never trusted with credentials. The hosts kept are the ones the client may send the account's
credentials to.
*/
export async function lookupDomains(
	context: ServiceContext,
	accountId: string,
	options: CallOptions = {},
): Promise<Domains> {
	assertAccountId(accountId);
	const url = new URL(`/api/account/${accountId}/service/baseURI.json?version=1.0`, context.csdsUrl);
	const {status, body} = await context.http.send({
		method: 'GET',
		url: url.href,
		what: `Looking up the domains of account ${accountId}`,
		accept: notFoundStatuses,
		maxBytes: csdsMaxBytes,
		onRetry: options.onRetry,
		signal: options.signal,
	});
	const list = status >= 200 && status < 300 && isRecord(body) && Array.isArray(body.baseURIs) ? body.baseURIs : [];
	const domains: Record<string, string> = {};
	for (const entry of list) {
		if (isRecord(entry) && typeof entry.service === 'string' && typeof entry.baseURI === 'string' && isBareHost(entry.baseURI)) {
			domains[entry.service] = entry.baseURI;
		}
	}

	if (Object.keys(domains).length === 0) {
		throw accountNotFound(accountId);
	}

	context.http.trustHosts(Object.values(domains));
	return domains;
}

/** Looks up one service's domain. */
export async function lookupDomain(
	context: ServiceContext,
	accountId: string,
	service: string,
	options: CallOptions = {},
): Promise<string> {
	assertAccountId(accountId);
	const url = new URL(`/api/account/${accountId}/service/${encodeURIComponent(service)}/baseURI.json?version=1.0`, context.csdsUrl);
	const {status, body} = await context.http.send({
		method: 'GET',
		url: url.href,
		what: `Looking up the ${service} domain of account ${accountId}`,
		accept: notFoundStatuses,
		maxBytes: csdsMaxBytes,
		onRetry: options.onRetry,
		signal: options.signal,
	});
	const baseUri = status >= 200 && status < 300 && isRecord(body) ? body.baseURI : undefined;
	if (typeof baseUri !== 'string' || !isBareHost(baseUri)) {
		throw new HttpError(`Service ${service} of account ${accountId} was not found in CSDS.`, 404, {
			hint: `${notFoundHint} Service names are case-sensitive (e.g. agentVep, accountConfigReadOnly).`,
		});
	}

	context.http.trustHosts([baseUri]);
	return baseUri;
}
