import {type Clock, systemClock} from '../clock.js';
import {UsageError} from '../errors.js';
import {defaultCsdsUrl} from './endpoints.js';
import {mayUsePlainHttp} from './hosts.js';
import {lookupDomain, lookupDomains} from './csds.js';
import * as functions from './functions.js';
import {createHttp, type HttpCall, type HttpOptions, type HttpResult} from './http.js';
import {login, logout, refresh} from './login.js';
import type {ServiceContext} from './service.js';
import type {Domains, LivePersonApi} from './types.js';
import {listAgentGroups, listProfiles} from './profiles.js';
import {requestToken} from './sentinel.js';
import {allowUserKey, createUser, listUsers} from './users.js';

export {defaultAllowlistDomains, defaultAllowlistServices, detectFunctionsVersion} from './functions.js';

export type LivePersonApiOptions = HttpOptions & {
	/**
	The CSDS base URL; every other service uses its scheme.
	@default 'https://api.liveperson.net'
	*/
	readonly csdsUrl?: string;
	readonly clock?: Clock;
};

export type LivePersonClient = LivePersonApi & {
	/**
	Any call, as given: `lp-onboard api` sends what the user asks for through the same transport, retries and errors.
	*/
	send(call: HttpCall): Promise<HttpResult>;
	/** The account's domains as CSDS listed them (a cached answer): `send` may then carry credentials to their hosts. */
	trustDomains(domains: Domains): void;
	/** Closes the client's own keep-alive connections (not a dispatcher passed in). */
	close(): Promise<void>;
};


/**
The LivePerson HTTP client: one method per endpoint (docs/contract.md), the docs' retry policy, `HttpError` with a hint
on failure.

@example
```
const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true});
const domains = await api.domains('12345678');
await api.close();
```
*/
export function createLivePersonApi(options: LivePersonApiOptions = {}): LivePersonClient {
	const csdsUrl = parseCsdsUrl(options.csdsUrl ?? defaultCsdsUrl);
	const clock = options.clock ?? systemClock;
	const http = createHttp({...options, clock});
	const context: ServiceContext = {http, csdsUrl, clock};
	return {
		domains: async (accountId, callOptions) => lookupDomains(context, accountId, callOptions),
		domain: async (accountId, service, callOptions) => lookupDomain(context, accountId, service, callOptions),
		login: async (accountId, domains, body, callOptions) => login(context, accountId, domains, body, callOptions),
		token: async (accountId, domains, client, callOptions) => requestToken(
			context,
			accountId,
			domains,
			client,
			callOptions,
		),
		refresh: async (session, domains, callOptions) => refresh(context, session, domains, callOptions),
		logout: async (session, domains, callOptions) => logout(context, session, domains, callOptions),
		listUsers: async (accountId, domains, auth, callOptions) => listUsers(context, accountId, domains, auth, callOptions),
		createUser: async (accountId, domains, auth, user, callOptions) => createUser(
			context,
			accountId,
			domains,
			auth,
			user,
			callOptions,
		),
		allowUserKey: async (accountId, domains, auth, userId, key, callOptions) => allowUserKey(
			context,
			accountId,
			domains,
			auth,
			userId,
			key,
			callOptions,
		),
		listProfiles: async (accountId, domains, auth, callOptions) => listProfiles(
			context,
			accountId,
			domains,
			auth,
			callOptions,
		),
		listAgentGroups: async (accountId, domains, auth, callOptions) => listAgentGroups(
			context,
			accountId,
			domains,
			auth,
			callOptions,
		),
		probeFunctions: async (functionsContext, callOptions) => functions.probeFunctions(
			context,
			functionsContext,
			callOptions,
		),
		allowDomain: async (functionsContext, domain, callOptions) => functions.allowDomain(
			context,
			functionsContext,
			domain,
			callOptions,
		),
		send: async call => http.send(call),
		trustDomains(domains) {
			http.trustHosts(Object.values(domains).filter(host => typeof host === 'string'));
		},
		close: async () => http.close(),
	};
}

function parseCsdsUrl(value: string): URL {
	const fix = `Pass a URL like ${defaultCsdsUrl} to --csds-url (LP_CSDS_URL).`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new UsageError(`The CSDS URL "${value}" is not a URL.`, fix);
	}

	if (url.username || url.password) {
		// Never echo it: the part before the @ is a password.
		throw new UsageError(`The CSDS URL for ${url.host} carries a user name or password.`, `${fix} CSDS needs no credentials.`);
	}

	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && mayUsePlainHttp(url.hostname))) {
		throw new UsageError(`The CSDS URL "${value}" is not an https URL.`, `${fix} Plain http is only for a sandbox (this machine, *.test names).`);
	}

	return url;
}
