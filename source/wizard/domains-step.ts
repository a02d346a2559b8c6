import {LpError} from '../errors.js';
import type {Domains} from '../liveperson/types.js';
import {loadProfile, markDone} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {Dependencies, DomainsResult} from './types.js';

/** LivePerson's own tools cache CSDS answers for 600 s (shared/liveperson-api.md §1.4). */
export const domainsMaxAgeMs = 10 * 60 * 1000;

/** The services the wizard itself calls. */
export const requiredServices = ['agentVep', 'accountConfigReadOnly', 'accountConfigReadWrite'] as const;

/** The services the next steps call: the login and users APIs, and the Functions UI and gateway hosts of step 5. */
const shownServices = new Set<string>([...requiredServices, 'faasUI', 'faasGW']);

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

	// Only what the next steps use, so step 3's instructions stay on screen; `lp-onboard domains` lists every service.
	const rows = Object.entries(result.domains).filter(([service]) => shownServices.has(service)).sort(([a], [b]) => (a < b ? -1 : 1));
	ui.table(rows, ['Service', 'Host']);
	const more = Object.keys(result.domains).length - rows.length;
	if (more > 0) {
		ui.info(`and ${more} more services the next steps do not use (\`lp-onboard domains\` lists them all).`);
	}

	await markDone(deps, 'domains', result.source === 'csds' ? {domains: {fetchedAt: clock.now(), map: result.domains}} : {});
	return result;
}
