import {CancelledError} from '../errors.js';
import type {Domains} from '../liveperson/types.js';
import {accountStep} from './account-step.js';
import {credentialsStep} from './credentials-step.js';
import {botUserStep} from './bot-user-step.js';
import {domainsStep} from './domains-step.js';
import {back} from './navigation.js';
import {provisioningStep} from './provisioning-step.js';
import {summaryStep} from './summary-step.js';
import {openWizardState, type WizardState} from './profile-state.js';
import type {AccountResult, CredentialsResult, BotUserResult, Dependencies, DomainsResult, WizardOptions, WizardResult} from './types.js';

/**
The whole onboarding, from no account to a signed API call: account → domains → credentials → bot user → Functions →
summary. The only place that knows the order. The profile is read once, here, and handed to every step. Every step
checks what an earlier run finished and skips it, so running it again is safe and asks only what is missing. "← Back" in
a step runs the previous step again, ignoring what it had saved but offering what this run already typed or proved (the
account, the credentials), so going back loses nothing.
*/
export async function runWizard(deps: Dependencies, options: WizardOptions = {}): Promise<WizardResult> {
	const wizard = await openWizardState(deps);
	const checkAborted = () => {
		if (deps.signal.aborted) {
			throw new CancelledError();
		}
	};

	const {account, domains, credentials, botUser} = await firstSteps(deps, wizard, options, checkAborted);
	checkAborted();
	const accountId = account.accountId;
	const finalDomains: Domains = domains.domains;
	const provisioning = await provisioningStep(
		deps,
		options,
		{accountId, domains: finalDomains, credentials: credentials.credentials, botUser},
	);
	const result = {accountId, domains: finalDomains, credentials, botUser, provisioning};
	summaryStep(deps, options, result);
	const skipped = [
		account.alreadyDone ? 'account' : undefined,
		domains.alreadyDone ? 'domains' : undefined,
		credentials.alreadyDone ? 'api-key' : undefined,
		botUser.alreadyDone ? 'bot-user' : undefined,
		provisioning.status === 'already-done' ? 'provisioning' : undefined,
	].filter((id): id is string => id !== undefined);
	return {ok: provisioning.status !== 'failed' && provisioning.status !== 'pending-ui', profile: deps.profile, ...result, skipped};
}

type FirstSteps = {
	account: AccountResult;
	domains: DomainsResult;
	credentials: CredentialsResult;
	botUser: BotUserResult;
};

/** Steps 1 to 4, with "← Back" between them. */
async function firstSteps(
	deps: Dependencies,
	wizard: WizardState,
	options: WizardOptions,
	checkAborted: () => void,
): Promise<FirstSteps> {
	let account: AccountResult | undefined;
	let domains: DomainsResult | undefined;
	let credentials: CredentialsResult | undefined;
	// Steps to redo because the user went back to them.
	const forced = new Set<string>();
	let step: 'account' | 'domains' | 'api-key' | 'bot-user' = 'account';
	for (;;) {
		checkAborted();
		if (step === 'account') {
			const before = account;
			account = await accountStep(deps, wizard, {force: forced.has('account'), previous: before?.accountId});
			if (before && before.accountId !== account.accountId) {
				// Credentials are proved per account: another account's are no answer here.
				credentials = undefined;
			}

			step = 'domains';
		} else if (step === 'domains') {
			domains = await domainsStep(deps, wizard, account!, options);
			step = 'api-key';
		} else if (step === 'api-key') {
			const result = await credentialsStep(deps, options, wizard, {
				accountId: account!.accountId,
				domains: domains!.domains,
				force: forced.has('api-key'),
				...(credentials ? {proven: credentials.credentials} : {}),
			});
			if (result === back) {
				// The domains step asks nothing, so going back from the credentials means choosing the account again.
				forced.add('account');
				step = 'account';
				continue;
			}

			credentials = result;
			step = 'bot-user';
		} else {
			const result = await botUserStep(deps, wizard, {
				accountId: account!.accountId,
				domains: domains!.domains,
				credentials: credentials!.credentials,
				force: forced.has('bot-user'),
			});
			if (result === back) {
				forced.add('api-key');
				forced.add('bot-user');
				step = 'api-key';
				continue;
			}

			return {account: account!, domains: domains!, credentials: credentials!, botUser: result};
		}
	}
}
