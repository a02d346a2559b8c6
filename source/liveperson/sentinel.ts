// Sentinel, LivePerson's authorization server (CSDS service `sentinel`): the OAuth 2.0 client credentials token
// request. Sources in docs/contract.md "Sentinel".
import {HttpError} from '../errors.js';
import {malformedError} from './http.js';
import type {OAuth2Client} from './credentials.js';
import {assertAccountId, expectRecord, serviceUrl, type ServiceContext} from './service.js';
import type {CallOptions, Domains} from './types.js';

export type TokenAnswer = {readonly accessToken: string; readonly tokenType: string; readonly expiresIn: number};

const hints = {
	400: 'Sentinel refused the client: check the client id and secret (Management Console → Application Install → edit), '
		+ 'and that the application has the client_credentials grant.',
	401: 'Sentinel refused the client: check the client id and secret, and that the application is installed on this account.',
} as const;

/**
`POST https://{sentinel}/sentinel/api/v2/account/{accountId}/app/token?v=2.0`, form-encoded `client_id`,
`client_secret`, `grant_type=client_credentials`. `expires_in` arrives as a string in LivePerson's own client, so a
number or a numeric string is read. Retried like a read: a second token request only makes another token.
*/
export async function requestToken(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	client: OAuth2Client,
	options: CallOptions = {},
): Promise<TokenAnswer> {
	assertAccountId(accountId);
	const what = `Getting an OAuth 2.0 token for account ${accountId} (Sentinel)`;
	const url = serviceUrl(context, domains, 'sentinel', `/sentinel/api/v2/account/${accountId}/app/token?v=2.0`, what);
	const {status, body} = await context.http.send({
		method: 'POST',
		url,
		what,
		form: {client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials'},
		// The client secret is in the form: it goes only where credentials may.
		secretBody: true,
		idempotent: true,
		hints,
		signal: options.signal,
	});
	const answer = expectRecord(body, what, status);
	const accessToken = answer['access_token'];
	const tokenType = answer['token_type'];
	const expiresIn = Number(answer['expires_in']);
	if (typeof accessToken !== 'string' || accessToken === '' || typeof tokenType !== 'string' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
		throw malformedError(what, 'no access_token, token_type or expires_in', status);
	}

	if (tokenType.toLowerCase() !== 'bearer') {
		throw new HttpError(`${what} failed: Sentinel answered a ${tokenType.slice(0, 20)} token, not a Bearer token.`, status, {hint: hints[400]});
	}

	return {accessToken, tokenType, expiresIn};
}
