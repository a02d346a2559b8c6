import {parseAccountId, preview, validateAccountId} from '../account-id.js';
import {HttpError} from '../errors.js';
import type {Domains} from '../liveperson/types.js';
import {isDone, type WizardState} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {AccountResult, Dependencies} from './types.js';

/**
Where a developer without an account signs up (docs/liveperson-api.md §3): the registration page the newest Getting
Started page links to. The older Getting Started page's `register.liveperson.com/developer/signup` is what it replaced.
*/
export const signupUrl = 'https://developers.liveperson.com/register.html';

/** Getting Started's first prerequisite: read the API Terms of Use (docs/liveperson-api.md §3). */
export const apiTermsUrl = 'https://www.liveperson.com/policies/apitou';

export {accountIdPattern, validateAccountId} from '../account-id.js';

/**
Step 1: which LivePerson account. Proves the id with one CSDS call, whose answer the domains step reuses. An empty
answer at the terminal opens the sign-up page and asks again (on the sandbox it takes the demo account). A re-run checks
with that same one call that the saved account still resolves, and asks again (or fails without a terminal) when it does
not.
*/
export async function accountStep(
	deps: Dependencies,
	wizard: WizardState,
	{force = false, previous}: {force?: boolean; previous?: string} = {},
): Promise<AccountResult> {
	const {ui, api, signal, interactive} = deps;
	const state = wizard.profile;
	// A flag or LP_ACCOUNT_ID naming another account redoes the step; the prompter then answers with it (once).
	const given = deps.prompter.preset?.('account-id');
	const done = !force && state.accountId !== undefined && isDone(state, 'account') && (given === undefined || given === state.accountId);
	// Not marked done in the header: that is known only once CSDS has answered (`ui.alreadyDone` follows then).
	ui.step(stepInfo('account'));
	if (!done) {
		ui.info(`LivePerson's APIs are used under its API Terms of Use: ${apiTermsUrl}`);
	}

	if (!done && given === undefined) {
		ui.info(`No LivePerson account yet? Sign up through ${signupUrl}`);
	}

	// The first look-up of a re-run is the saved account's re-check (a preset naming the same id is used up by it).
	let rechecking = done;
	for (;;) {
		const recheck = rechecking;
		rechecking = false;
		const accountId = recheck && given === undefined ? state.accountId! : await askAccountId(deps, previous);
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
			const title = recheck ? `Checking that account ${accountId} still resolves (CSDS)` : `Looking up account ${accountId} (CSDS)`;
			domains = await ui.task(title, async () => api.domains(accountId, {signal}).catch((error: unknown) => {
				// At a terminal an unknown account is said once, as the look-up's failure, with what to do; the question follows.
				throw interactive && error instanceof HttpError && error.status === 404
					? new UnknownAccountError(accountId, recheck)
					: error;
			}));
		} catch (error) {
			if (error instanceof UnknownAccountError) {
				continue;
			}

			throw error;
		}

		if (recheck) {
			ui.alreadyDone(`account ${accountId} (it still resolves in CSDS).`);
			return {accountId, domains, alreadyDone: true};
		}

		// A different account makes everything learned for the old one stale.
		const changed = state.accountId !== undefined && state.accountId !== accountId;
		const completed = changed ? [] : (state.completedSteps ?? []).filter(step => step !== 'account');
		await wizard.record({accountId, domains: {fetchedAt: deps.clock.now(), map: domains}, completedSteps: [...completed, 'account']});
		return {accountId, domains, alreadyDone: false};
	}
}

/** CSDS does not know the account (404), told at a terminal, where the account id is asked again. */
class UnknownAccountError extends Error {
	constructor(accountId: string, recheck: boolean) {
		super(recheck
			? `Account ${accountId} no longer resolves on LivePerson (CSDS 404). Enter the account id again.`
			: `Account ${accountId} was not found. Check the id in the LivePerson console (top right, next to your name).`);
	}
}

/** `previous`: the account typed before the user went back, offered as the answer (Enter keeps it). */
async function askAccountId(
	{prompter, interactive, demoAccountId}: Dependencies,
	previous: string | undefined,
): Promise<string> {
	if (previous !== undefined || demoAccountId !== undefined) {
		const message = previous === undefined ? 'LivePerson account id (the sandbox\'s demo account by default)' : 'LivePerson account id (Enter keeps it)';
		return (await prompter.text({id: 'account-id', message, default: previous ?? demoAccountId, validate: validateAccountId})).trim();
	}

	const answer = await prompter.text({
		id: 'account-id',
		message: interactive ? 'LivePerson account id (leave empty to open the sign-up page)' : 'LivePerson account id',
		validate: value => value.trim() === '' || validateAccountId(value.trim()),
	});
	return answer.trim();
}
