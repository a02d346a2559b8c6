import type {Factory} from '../../factory.js';
import {cacheDomains, freshDomains} from '../../config/domains-cache.js';
import type {Domains} from '../../liveperson/types.js';

/** The account id by the one route every command shares: --account → LP_ACCOUNT_ID → the profile's → the prompt. */
export async function resolveAccountId(f: Factory): Promise<string> {
	const [{validateAccountId}, prompter, profile] = await Promise.all([import('../../account-id.js'), f.prompter(), f.profile()]);
	// The stored account answers without a question; a flag or LP_ACCOUNT_ID naming another one wins.
	if (profile?.accountId && prompter.preset?.('account-id') === undefined) {
		return profile.accountId;
	}

	return prompter.text({id: 'account-id', message: 'LivePerson account id', validate: validateAccountId});
}

/** The account's domains: the profile's cached CSDS answer while it is for this account and fresh, else one CSDS call (cached). */
export async function accountDomains(f: Factory, accountId: string): Promise<Domains> {
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
