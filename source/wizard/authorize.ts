import {createAuthorizer, type Authorizer} from '../liveperson/authorizer.js';
import {type CredentialKind, type Credentials, usersApiVersion} from '../liveperson/credentials.js';
import type {Domains} from '../liveperson/types.js';
import {secretTokenCache} from '../secrets/token-cache.js';
import type {Dependencies, WizardOptions} from './types.js';

/**
The credentials port for the wizard's calls: the OAuth 1.0 signer, or the OAuth 2.0 client's Sentinel token (asked on
the account's `sentinel` host, cached in the profile's secret store, renewed before it expires and once on a 401).
*/
export function authorizerOf(deps: Pick<Dependencies, 'api' | 'secrets' | 'clock' | 'profile' | 'signal'>, accountId: string, domains: Domains, credentials: Credentials): Authorizer {
	return createAuthorizer(credentials, {
		clock: deps.clock,
		fetchToken: async (client, {signal}) => deps.api.token(accountId, domains, client, {signal: signal ?? deps.signal}),
		cache: secretTokenCache(deps.secrets, {profile: deps.profile, accountId}),
	});
}

/** The Users API URL the credentials are proved with, in full (the scheme is the CSDS URL's). */
export function usersUrlFor(accountId: string, domains: Domains, options: WizardOptions, kind: CredentialKind): string {
	const scheme = new URL(options.csdsUrl ?? 'https://api.liveperson.net').protocol;
	return `${scheme}//${domains['accountConfigReadOnly']}/api/account/${encodeURIComponent(accountId)}/configuration/le-users/users?v=${usersApiVersion(kind)}`;
}
