import type {Clock} from '../clock.js';
import {parseAccountId} from '../account-id.js';
import {HttpError} from '../errors.js';
import {type Http, malformedError} from './http.js';
import {isBareHost} from './hosts.js';
import type {Domains} from './types.js';

/** What every endpoint module needs. */
export type ServiceContext = {
	readonly http: Http;
	/** The CSDS base; other services use its scheme. */
	readonly csdsUrl: URL;
	readonly clock: Clock;
};

/** Rejects an account id LivePerson would refuse, before any call (the Users API's documented pattern). */
export function assertAccountId(accountId: string): void {
	parseAccountId(accountId, 'The account id');
}

/** `{scheme}://{baseURI}{path}`, the scheme being the CSDS URL's (https in production, http against the sandbox). */
export function serviceUrl(
	context: ServiceContext,
	domains: Domains,
	service: string,
	path: string,
	what: string,
): string {
	const host = domains[service];
	if (!host) {
		throw new HttpError(`${what} failed: CSDS lists no ${service} domain for this account.`, 404, {
			hint: 'Check the account id; if it is right, the account may not have this LivePerson service.',
		});
	}

	if (!isBareHost(host)) {
		throw new HttpError(`${what} failed: the ${service} domain is not a bare host name.`, undefined, {
			hint: 'Delete the cached domains (run `lp-onboard domains`) and check --csds-url (LP_CSDS_URL).',
		});
	}

	// Hosts handed in as domains came from CSDS (now, or cached from an earlier answer): they may get credentials.
	context.http.trustHosts([host]);
	return `${context.csdsUrl.protocol}//${host}${path}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object, or an `HttpError` saying the answer was not what LivePerson documents. */
export function expectRecord(value: unknown, what: string, status: number): Record<string, unknown> {
	if (!isRecord(value)) {
		throw malformedError(what, 'expected an object', status);
	}

	return value;
}

export function expectArray(value: unknown, what: string, status: number): unknown[] {
	if (!Array.isArray(value)) {
		throw malformedError(what, 'expected a list', status);
	}

	return value;
}

export function optionalString(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value;
	}

	return typeof value === 'number' ? String(value) : undefined;
}
