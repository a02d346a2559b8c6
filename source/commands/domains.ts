import type {Domains} from '../liveperson/types.js';
import {type RunCommand, result} from './command.js';
import {resolveAccountId} from './shared/account.js';

const compare = (a: string, b: string) => (a < b ? -1 : (a > b ? 1 : 0));

function sortedEntries(domains: Domains): Array<[string, string]> {
	return Object.entries(domains).sort(([a], [b]) => {
		// Not localeCompare: it loads ICU collation data, about 40 MiB of memory, to sort ASCII names.
		const [x, y] = [a.toLowerCase(), b.toLowerCase()];
		return x === y ? compare(a, b) : compare(x, y);
	});
}

/**
The domains as two aligned columns, service then host, sorted by service (case-insensitively), one line each and no
header, so the output stays easy to `grep` and `awk`.

@example
```
formatDomainsTable({agentVep: 'va.agentvep.liveperson.net', accountConfigReadOnly: 'va.ac.liveperson.net'});
//=> 'accountConfigReadOnly  va.ac.liveperson.net\nagentVep               va.agentvep.liveperson.net'
```
*/
export function formatDomainsTable(domains: Domains): string {
	const entries = sortedEntries(domains);
	// A loop, not Math.max(...): spreading a hostile CSDS's 130,000 services overflows the call stack.
	const width = entries.reduce((widest, [service]) => Math.max(widest, service.length), 0);
	return entries.map(([service, host]) => `${service.padEnd(width)}  ${host}`).join('\n');
}

/** The domains as `{service: baseURI}`, keys sorted like the table, for `--json`. */
export function domainsJson(domains: Domains): Record<string, string> {
	return Object.fromEntries(sortedEntries(domains));
}

/** `lp-onboard domains`: every service domain of the account, from one CSDS call. */
export const run: RunCommand = async f => {
	const accountId = await resolveAccountId(f);
	const api = await f.api();
	const domains = await (await f.ui()).task(`Resolving the service domains of ${accountId}`, async () => api.domains(accountId, {signal: f.signal}));
	return result(formatDomainsTable(domains), domainsJson(domains));
};
