import type {Factory} from '../../factory.js';
import {cacheDomains, freshDomains} from '../../config/domains-cache.js';
import {UsageError} from '../../errors.js';
import type {HttpMethod} from '../../liveperson/http.js';
import type {Domains} from '../../liveperson/types.js';

/**
The account id by the one route every command shares: --account → LP_ACCOUNT_ID → the profile's → (with `--sandbox
--demo`, the demo account) → the prompt.
*/
export async function resolveAccountId(f: Factory): Promise<string> {
	const [{validateAccountId}, prompter, profile] = await Promise.all([import('../../account-id.js'), f.prompter(), f.profile()]);
	// The stored account answers without a question; a flag or LP_ACCOUNT_ID naming another one wins.
	const given = prompter.preset?.('account-id');
	if (profile?.accountId && given === undefined) {
		return profile.accountId;
	}

	// `--sandbox --demo` without an account: the sandbox's demo account, as the wizard takes it.
	const demo = f.flags.demo && given === undefined ? (await f.sandbox())?.demo.accounts['12345678'].accountId : undefined;
	if (demo) {
		return demo;
	}

	return prompter.text({id: 'account-id', message: 'LivePerson account id', validate: validateAccountId});
}

/**
The account's domains: the profile's cached CSDS answer while it is for this account and fresh, else one CSDS call
(cached).
*/
export async function accountDomains(f: Factory, accountId: string): Promise<Domains> {
	// First the CSDS of this run: it drops a cache that another one answered (every --sandbox run has a new port).
	await f.csdsUrl();
	const profile = await f.profile();
	const cached = freshDomains(profile, accountId, f.clock.now());
	if (cached) {
		return cached;
	}

	const domains = await (await f.api()).domains(accountId, {signal: f.signal});
	if (profile?.accountId === accountId) {
		await cacheDomains(f.config, f.flags.profile, domains, f.clock.now());
	}

	return domains;
}

/**
Which CSDS service a path belongs to, where LivePerson's docs make it unambiguous (docs/contract.md). Reads of the
account configuration go to the read-only domain, writes to the read-write one, as the Users API documents.
*/
export function guessService(path: string, method: HttpMethod): string | undefined {
	const rules: ReadonlyArray<[RegExp, string | ((method: HttpMethod) => string)]> = [
		[/^\/api\/account\/[^/]+\/configuration\//, write => (write === 'GET' ? 'accountConfigReadOnly' : 'accountConfigReadWrite')],
		[/^\/api\/account\/[^/]+\/(?:login|refresh|logout)(?:[/?]|$)/, 'agentVep'],
		[/^\/api\/account\/[^/]+\/service\//, 'csds'],
		[/^\/api\/account\/[^/]+\/(?:lambdas|functions|proxy-settings|deployments)(?:[/?]|$)/, 'faasUI'],
		[/^\/messaging_history\//, 'msgHist'],
		[/^\/interaction_history\//, 'engHistDomain'],
	];
	const found = rules.find(([pattern]) => pattern.test(path))?.[1];
	return typeof found === 'function' ? found(method) : found;
}

/**
PATH (its `{accountId}` filled in) on the domain CSDS lists for its service (`service`, or the one the path names): the
URL `api` sends and `auth header` authorizes.
*/
export async function pathUrl(
	f: Factory,
	accountId: string,
	path: string,
	method: HttpMethod,
	service = guessService(path, method),
): Promise<{url: string; domains: Domains}> {
	if (!service) {
		throw new UsageError(`Which LivePerson service serves ${path.split('?')[0]!}?`, 'Pass --service NAME (a CSDS service name; `lp-onboard domains` lists them), or a whole URL.');
	}

	const domains = await accountDomains(f, accountId);
	const host = Object.entries(domains).find(([name]) => name.toLowerCase() === service.toLowerCase())?.[1];
	if (!host) {
		throw new UsageError(`CSDS lists no ${service} domain for account ${accountId}.`, 'Check --service against `lp-onboard domains`.');
	}

	const filled = path.replaceAll('{accountId}', encodeURIComponent(accountId));
	return {url: `${new URL(await f.csdsUrl()).protocol}//${host}${filled}`, domains};
}
