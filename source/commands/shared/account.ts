import type {Factory} from '../../factory.js';
import {cacheDomains, freshDomains} from '../../config/domains-cache.js';
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
