// Pure facts about Functions accounts, apart from the HTTP client so provisioning can use them without loading undici.
// Sources: docs/liveperson-api.md §6 (LivePerson's Functions provisioning pages).
import type {Domains, FunctionsVersion} from './types.js';

/**
The services whose hosts Functions V1 allowlists while provisioning: the 15 of the provisioning page's table, spelled as
the page spells them (`faaSGW`, `Msdkgw`); CSDS spells them `faasGW`, `msdkgw`, so they are matched case-insensitively.
*/
export const defaultAllowlistServices = [
	'faaSGW',
	'msgHist',
	'agentVep',
	'accountConfigReadOnly',
	'accountConfigReadWrite',
	'asyncMessaging',
	'asyncMessagingEnt',
	'engHistDomain',
	'rtbf',
	'smt',
	'pusher',
	'leDataReporting',
	'msgEwtAPI',
	'Msdkgw',
	'swift',
] as const;

/** The CSDS host of a service, the name matched case-insensitively. */
export function serviceHost(domains: Domains, service: string): string | undefined {
	const wanted = service.toLowerCase();
	const key = Object.keys(domains).find(name => name.toLowerCase() === wanted);
	return key === undefined ? undefined : domains[key];
}

/**
The default allowlist for an account: the hosts of `defaultAllowlistServices`, in that order, without duplicates and
without a port (an allowlist entry is a domain name). Services CSDS does not list are left out.
*/
export function defaultAllowlistDomains(domains: Domains): string[] {
	const hosts = new Set<string>();
	for (const service of defaultAllowlistServices) {
		const baseUri = serviceHost(domains, service);
		if (baseUri) {
			hosts.add(hostOnly(baseUri));
		}
	}

	return [...hosts];
}

function hostOnly(baseUri: string): string {
	return baseUri.replace(/:\d+$/, '').toLowerCase();
}

/**
V2 when the CSDS `faasGW` host contains `fninvocations` (as lpf 2.x checks) or `functions` (as faas-client-node also
accepts).
*/
export function detectFunctionsVersion(domains: Domains): FunctionsVersion {
	const gateway = serviceHost(domains, 'faasGW')?.toLowerCase() ?? '';
	return gateway.includes('fninvocations') || gateway.includes('functions') ? 2 : 1;
}

/**
"Maximum Key Reached": provisioning could not mint its app key. Named only by an unreleased 2020 draft of lpf's
`src/shared/faasErrorMessages.ts` (docs/liveperson-api.md §6.1): read when it comes, never relied on.
*/
export const appKeyLimitCode = 'com.liveperson.faas.provision.defaultappkey.max-number-of-keys-reached';

/** The Functions UI, as lpf's README links it. */
export const functionsUiUrl = 'https://faas.liveperson.net/';

export type DefaultSecretName = 'lp-faas-default-app-key' | 'lp-faas-orchestrator-app-key' | 'LIVEPERSON_DEFAULT_APP_KEY';

/** The system secrets each platform version's provisioning installs (the provisioning pages). */
export const defaultSecretsByVersion: Readonly<Record<FunctionsVersion, readonly DefaultSecretName[]>> = {
	1: ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key'],
	2: ['LIVEPERSON_DEFAULT_APP_KEY'],
};

/**
The privileges LivePerson gives each default system secret when it provisions Functions (docs/liveperson-api.md §6.2).
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

export const secretPrivileges: Readonly<Record<DefaultSecretName, readonly string[]>> = {
	'lp-faas-default-app-key': readPrivileges,
	'lp-faas-orchestrator-app-key': ['Functions API: Invoke'],
	'LIVEPERSON_DEFAULT_APP_KEY': [...readPrivileges, 'Functions API: Invoke'],
};

/**
What the provisioning pages say the admin does and what LivePerson then does, per version. The wizard and `provision`
show these words; the task ids name the bars.
*/
export const provisioningGuide: Readonly<Record<FunctionsVersion, {
	readonly steps: readonly string[];
	readonly tasks: ReadonlyArray<{readonly id: string; readonly title: string}>;
	/** How long LivePerson says it can take; V1 gives no figure. */
	readonly budgetMs?: number;
}>> = {
	1: {
		steps: [
			`Open the LivePerson Functions UI (${functionsUiUrl}) and sign in with a Conversational Cloud admin account.`,
			'Agree to the terms of use: that first agreement provisions Functions for the account.',
		],
		tasks: [
			{id: 'activate', title: 'Activate the Functions feature'},
			{id: 'secrets', title: 'Install the default secrets (lp-faas-default-app-key, lp-faas-orchestrator-app-key)'},
			{id: 'allowlist', title: 'Allowlist the default domains'},
		],
	},
	2: {
		steps: [
			`Open the LivePerson Functions V2 UI (${functionsUiUrl}) and sign in with a Conversational Cloud admin account.`,
			'Trigger the one-time provisioning there. It can take up to 10 minutes; the UI tells you when it is done.',
		],
		tasks: [
			{id: 'activate', title: 'Activate the Functions feature'},
			{id: 'infrastructure', title: 'Provision and configure the infrastructure'},
			{id: 'secret', title: 'Create the default secret (LIVEPERSON_DEFAULT_APP_KEY)'},
			{id: 'store', title: 'Store the default secret in the secret store'},
		],
		budgetMs: 600_000,
	},
};
