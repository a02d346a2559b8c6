import {LpError} from '../errors.js';
import type {Domains} from '../liveperson/types.js';
import {loadProfile, markDone} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {Dependencies, DomainsResult} from './types.js';

/** LivePerson's own tools cache CSDS answers for 600 s (docs/liveperson-api.md §1.4). */
export const domainsMaxAgeMs = 10 * 60 * 1000;

/** The services the wizard itself calls. */
export const requiredServices = ['agentVep', 'accountConfigReadOnly', 'accountConfigReadWrite'] as const;

/**
Step 2: the account's service hosts. At most one CSDS call per run: the account step's answer is reused, and so is a cached
answer younger than ten minutes.
*/
export async function domainsStep(deps: Dependencies, accountId: string, fromAccountStep: Domains | undefined): Promise<DomainsResult> {
	const {ui, api, signal, clock} = deps;
	const state = await loadProfile(deps);
	let result: DomainsResult;
	const cached = state.accountId === accountId ? state.domains : undefined;
	const age = cached ? clock.now() - cached.fetchedAt : Number.POSITIVE_INFINITY;
	const fresh = !fromAccountStep && cached !== undefined && age >= 0 && age < domainsMaxAgeMs;
	ui.step({...stepInfo('domains'), done: fresh});
	if (fromAccountStep) {
		result = {domains: fromAccountStep, source: 'account-step'};
	} else if (fresh && cached) {
		ui.info(`Using the service domains looked up ${Math.floor(age / 60_000)} min ago.`);
		result = {domains: cached.map, source: 'cache'};
	} else {
		const domains = await ui.task(`Looking up the service domains of ${accountId} (CSDS)`, async () => api.domains(accountId, {signal}));
		result = {domains, source: 'csds'};
	}

	const missing = requiredServices.filter(service => !result.domains[service]);
	if (missing.length > 0) {
		throw new LpError(`Account ${accountId} has no ${missing.join(', ')} service in CSDS.`, {
			hint: 'The account may not be fully set up yet. Ask LivePerson support, or try another account.',
		});
	}

	ui.table(Object.entries(result.domains).sort(([a], [b]) => (a < b ? -1 : 1)), ['Service', 'Host']);
	await markDone(deps, 'domains', result.source === 'csds' ? {domains: {fetchedAt: clock.now(), map: result.domains}} : {});
	return result;
}
