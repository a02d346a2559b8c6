import {parseAccountId, preview, validateAccountId} from '../account-id.js';
import {HttpError} from '../errors.js';
import type {Domains} from '../liveperson/types.js';
import {isDone, loadProfile} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {AccountResult, Dependencies} from './types.js';

/**
Where a developer without an account starts. shared/liveperson-api.md names no developer sign-up link, so this is the
LivePerson Developers site, which links to the sign-up.
*/
export const signupUrl = 'https://developers.liveperson.com/';

export {accountIdPattern, validateAccountId} from '../account-id.js';

/**
Step 1: which LivePerson account. Proves the id with one CSDS call, whose answer the domains step reuses. An empty answer
at the terminal opens the sign-up page and asks again.
*/
export async function accountStep(deps: Dependencies, {force = false} = {}): Promise<AccountResult> {
	const {ui, api, signal, interactive} = deps;
	const state = await loadProfile(deps);
	// A flag or LP_ACCOUNT_ID naming another account redoes the step; the prompter then answers with it (once).
	const given = deps.prompter.preset?.('account-id');
	const done = !force && state.accountId !== undefined && isDone(state, 'account') && (given === undefined || given === state.accountId);
	ui.step({...stepInfo('account'), done});
	if (done && state.accountId) {
		ui.info(`Already done: account ${state.accountId}.`);
		return {accountId: state.accountId, alreadyDone: true};
	}

	if (given === undefined) {
		ui.info(`No LivePerson account yet? Sign up through ${signupUrl}`);
	}

	for (;;) {
		const accountId = await askAccountId(deps);
		if (accountId === '') {
			const opened = await deps.openUrl(signupUrl);
			ui.info(opened ? `Opened ${signupUrl} in your browser. Come back with the account id.` : `Open ${signupUrl} in a browser, then enter the account id.`);
			continue;
		}

		const valid = validateAccountId(accountId);
		if (valid !== true) {
			if (interactive) {
				ui.warn(`"${preview(accountId)}" is not an account id. ${valid}`);
				continue;
			}

			parseAccountId(accountId, 'LP_ACCOUNT_ID or --account');
		}

		let domains: Domains;
		try {
			domains = await ui.task(`Looking up account ${accountId} (CSDS)`, async () => api.domains(accountId, {signal}));
		} catch (error) {
			if (interactive && error instanceof HttpError && error.status === 404) {
				ui.warn(`Account ${accountId} was not found. Check the id in the LivePerson console (top right, next to your name).`);
				continue;
			}

			throw error;
		}

		// A different account makes everything learned for the old one stale.
		const changed = state.accountId !== undefined && state.accountId !== accountId;
		const completed = changed ? [] : (state.completedSteps ?? []).filter(step => step !== 'account');
		await deps.config.update(deps.profile, {
			accountId,
			domains: {fetchedAt: deps.clock.now(), map: domains},
			completedSteps: [...completed, 'account'],
		});
		return {accountId, domains, alreadyDone: false};
	}
}

async function askAccountId({prompter, interactive}: Dependencies): Promise<string> {
	const answer = await prompter.text({
		id: 'account-id',
		message: interactive ? 'LivePerson account id (leave empty to open the sign-up page)' : 'LivePerson account id',
		validate: value => value.trim() === '' || validateAccountId(value.trim()),
	});
	return answer.trim();
}
