// Pure facts about Functions accounts, apart from the HTTP client so provisioning can use them without loading undici.
import type {Domains, FunctionsVersion, SystemSecretName} from './types.js';

/** The services whose hosts Functions V1 allowlists by default (docs: whitelisting-domains.md). */
export const defaultAllowlistServices = [
	'accountConfigReadOnly',
	'accountConfigReadWrite',
	'agentVep',
	'asyncMessaging',
	'asyncMessagingEnt',
	'engHistDomain',
	'leDataReporting',
	'msdkgw',
	'msgEwtAPI',
	'msgHist',
	'pusher',
	'rtbf',
	'smt',
	'swift',
] as const;

/**
The default allowlist for an account: the hosts of `defaultAllowlistServices`, in that order, without duplicates and without a
port (an allowlist entry is a domain name). Services CSDS does not list are left out.
*/
export function defaultAllowlistDomains(domains: Domains): string[] {
	const hosts = new Set<string>();
	for (const service of defaultAllowlistServices) {
		const baseUri = domains[service];
		if (baseUri) {
			hosts.add(hostOnly(baseUri));
		}
	}

	return [...hosts];
}

function hostOnly(baseUri: string): string {
	return baseUri.replace(/:\d+$/, '').toLowerCase();
}

/** V2 when the CSDS `faasGW` host contains `fninvocations` (as lpf 2.x checks) or `functions` (as faas-client-node also accepts). */
export function detectFunctionsVersion(domains: Domains): FunctionsVersion {
	const gateway = domains.faasGW?.toLowerCase() ?? '';
	return gateway.includes('fninvocations') || gateway.includes('functions') ? 2 : 1;
}

/**
The privileges LivePerson gives each default system secret when it provisions Functions (shared/liveperson-api.md §6.2).
Shown with `--show-privileges` so an admin knows what the platform keys may read before agreeing.
*/
const readPrivileges = [
	'Data Access: Read',
	'Engagement History: Read',
	'Operational Realtime: Read',
	'Personal Data Deletion: Read',
	'Users: Read',
	'Skills: Read',
	'Agent Groups: Read',
	'Profiles: Read',
	'LOBs: Read',
	'Workdays: Read',
	'Visit Information: Read',
	'Validate Engagement: Read',
	'IVR Engagement: Read',
	'Predefined Content: Read',
	'Automatic Messages: Read',
	'Predefined Categories: Read',
	'Unified Automatic Messages: Read',
	'Agent Status Reason: Read',
] as const;

export const secretPrivileges: Readonly<Record<SystemSecretName, readonly string[]>> = {
	'lp-faas-default-app-key': readPrivileges,
	'lp-faas-orchestrator-app-key': ['Functions API: Invoke'],
	'LIVEPERSON_DEFAULT_APP_KEY': [...readPrivileges, 'Functions API: Invoke'],
};
