import {HttpError} from '../errors.js';
import {type CallOptions, type Domains} from './types.js';
import {assertAccountId, isRecord, type ServiceContext} from './service.js';

const notFoundHint = 'Check the account id (the LivePerson console shows it, e.g. 12345678). For a test environment, check --csds-url (LP_CSDS_URL).';

/** Statuses CSDS uses for an unknown or invalid account: they mean "not found", not "LivePerson is broken". */
const notFoundStatuses = [400, 401, 403, 404];

function accountNotFound(accountId: string): HttpError {
	return new HttpError(`Account ${accountId} was not found in CSDS.`, 404, {hint: notFoundHint});
}

/**
Looks up every service domain of an account in one anonymous CSDS call. The hosts differ per account and region, so they are
never hard-coded. Non-2xx, a missing or empty `baseURIs` list all mean the account does not resolve (the docs are silent).
*/
export async function lookupDomains(context: ServiceContext, accountId: string, options: CallOptions = {}): Promise<Domains> {
	assertAccountId(accountId);
	const url = new URL(`/api/account/${accountId}/service/baseURI.json?version=1.0`, context.csdsUrl);
	const {status, body} = await context.http.send({
		method: 'GET',
		url: url.href,
		what: `Looking up the domains of account ${accountId}`,
		accept: notFoundStatuses,
		onRetry: options.onRetry,
		signal: options.signal,
	});
	const list = status >= 200 && status < 300 && isRecord(body) && Array.isArray(body.baseURIs) ? body.baseURIs : [];
	const domains: Record<string, string> = {};
	for (const entry of list) {
		if (isRecord(entry) && typeof entry.service === 'string' && typeof entry.baseURI === 'string' && entry.baseURI !== '') {
			domains[entry.service] = entry.baseURI;
		}
	}

	if (Object.keys(domains).length === 0) {
		throw accountNotFound(accountId);
	}

	return domains;
}

/** Looks up one service's domain. */
export async function lookupDomain(context: ServiceContext, accountId: string, service: string, options: CallOptions = {}): Promise<string> {
	assertAccountId(accountId);
	const url = new URL(`/api/account/${accountId}/service/${encodeURIComponent(service)}/baseURI.json?version=1.0`, context.csdsUrl);
	const {status, body} = await context.http.send({
		method: 'GET',
		url: url.href,
		what: `Looking up the ${service} domain of account ${accountId}`,
		accept: notFoundStatuses,
		onRetry: options.onRetry,
		signal: options.signal,
	});
	const baseUri = status >= 200 && status < 300 && isRecord(body) ? body.baseURI : undefined;
	if (typeof baseUri !== 'string' || baseUri === '') {
		throw new HttpError(`Service ${service} of account ${accountId} was not found in CSDS.`, 404, {
			hint: `${notFoundHint} Service names are case-sensitive (e.g. agentVep, accountConfigReadOnly).`,
		});
	}

	return baseUri;
}
