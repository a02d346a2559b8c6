import {CancelledError} from '../errors.js';
import type {Domains} from '../liveperson/types.js';
import {accountStep} from './account-step.js';
import {credentialsStep} from './credentials-step.js';
import {botUserStep} from './bot-user-step.js';
import {domainsStep} from './domains-step.js';
import {back} from './navigation.js';
import {provisioningStep} from './provisioning-step.js';
import {summaryStep} from './summary-step.js';
import type {AccountResult, CredentialsResult, BotUserResult, Dependencies, DomainsResult, WizardOptions, WizardResult} from './types.js';

/**
The whole onboarding, from no account to a signed API call: account → domains → credentials → bot user → Functions → summary.
The only place that knows the order. Every step checks what an earlier run finished and skips it, so running it again is
safe and asks only what is missing. "← Back" in a step runs the previous step again, ignoring what it had saved.
*/
export async function runWizard(deps: Dependencies, options: WizardOptions = {}): Promise<WizardResult> {
	let account: AccountResult | undefined;
	let domains: DomainsResult | undefined;
	let credentials: CredentialsResult | undefined;
	let botUser: BotUserResult | undefined;
	// Steps to redo because the user went back to them.
	const forced = new Set<string>();
	let step: 'account' | 'domains' | 'api-key' | 'bot-user' = 'account';
	const checkAborted = () => {
		if (deps.signal.aborted) {
			throw new CancelledError();
		}
	};

	for (;;) {
		checkAborted();
		if (step === 'account') {
			account = await accountStep(deps, {force: forced.has('account')});
			step = 'domains';
		} else if (step === 'domains') {
			domains = await domainsStep(deps, account!, options);
			step = 'api-key';
		} else if (step === 'api-key') {
			const result = await credentialsStep(deps, options, {accountId: account!.accountId, domains: domains!.domains, force: forced.has('api-key')});
			if (result === back) {
				// The domains step asks nothing, so going back from the key means choosing the account again.
				forced.add('account');
				step = 'account';
				continue;
			}

			credentials = result;
			step = 'bot-user';
		} else {
			const result = await botUserStep(deps, {
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

			botUser = result;
			break;
		}
	}

	checkAborted();
	if (!account || !domains || !credentials) {
		throw new Error('The wizard skipped a step.');
	}

	const accountId = account.accountId;
	const finalDomains: Domains = domains.domains;
	const provisioning = await provisioningStep(deps, options, {accountId, domains: finalDomains, credentials: credentials.credentials, botUser});
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
