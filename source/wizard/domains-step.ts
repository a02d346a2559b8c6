import {isDeepStrictEqual} from 'node:util';
import {LpError} from '../errors.js';
import type {WizardState} from './profile-state.js';
import {stepInfo} from './steps.js';
import {setupCommand} from './setup-flags.js';
import type {AccountResult, Dependencies, DomainsResult, WizardOptions} from './types.js';


/** The services the wizard itself calls. */
export const requiredServices = ['agentVep', 'accountConfigReadOnly', 'accountConfigReadWrite'] as const;

/** The services the next steps call: the login and users APIs, and the Functions UI and gateway hosts of step 5. */
const shownServices = new Set<string>([...requiredServices, 'faasUI', 'faasGW']);

/**
Step 2: the account's service hosts. Makes no call of its own: the account step's CSDS answer (a first look-up or a
re-run's re-check) is fresh. On a re-run it is compared with the cached answer, so a change on LivePerson's side is said
and saved.
*/
export async function domainsStep(
	deps: Dependencies,
	wizard: WizardState,
	account: AccountResult,
	options: WizardOptions = {},
): Promise<DomainsResult> {
	const {ui, clock} = deps;
	const {accountId, domains} = account;
	const state = wizard.profile;
	const cached = account.alreadyDone && state.accountId === accountId ? state.domains?.map : undefined;
	const unchanged = cached !== undefined && isDeepStrictEqual({...cached}, {...domains});
	ui.step({...stepInfo('domains'), done: unchanged});
	if (unchanged) {
		ui.alreadyDone('the service domains are unchanged (checked with CSDS).');
	} else if (cached) {
		ui.warn(`The service domains of ${accountId} changed on LivePerson; using the new ones.`);
	}

	const missing = requiredServices.filter(service => !domains[service]);
	if (missing.length > 0) {
		throw new LpError(`Account ${accountId} has no ${missing.join(', ')} service in CSDS.`, {
			hint: 'The account may not be fully set up yet. Ask LivePerson support, or try another account.',
		});
	}

	// Only what the next steps use, so step 3's instructions stay on screen; `lp-onboard domains` lists every service.
	const rows = Object.entries(domains)
		.filter(([service]) => shownServices.has(service))
		.sort(([a], [b]) => (a < b ? -1 : 1));
	const more = Object.keys(domains).length - rows.length;
	const all = setupCommand(deps, options, 'domains');
	ui.table(more > 0 ? [...rows, ['…', `${more} more, not used here (\`${all}\` lists them all)`]] : rows, ['Service', 'Host']);

	// The answer is fresh either way: saving it restarts the cache's ten minutes for `status` and `api`.
	await wizard.record({domains: {fetchedAt: clock.now(), map: domains}}, 'domains');
	return {domains, alreadyDone: unchanged};
}
