import type {Domains} from '../liveperson/types.js';
import {storeDescriptions} from '../secrets/secret-store.js';
import {loginMethodLabels} from './bot-user-step.js';
import {stepInfo} from './steps.js';
import type {ApiKeyResult, BotUserResult, Dependencies, ProvisioningResult, WizardOptions} from './types.js';

const provisioningLabels: Record<ProvisioningResult['status'], string> = {
	done: 'provisioned',
	'already-done': 'provisioned (earlier run)',
	failed: 'not finished',
	'pending-ui': 'waits on the Functions UI step',
	skipped: 'not provisioned',
};

/** The lines the summary shows; exported so `status` and tests can reuse the wording. */
export function summaryLines(
	{profile, secrets}: Pick<Dependencies, 'profile' | 'secrets'>,
	options: WizardOptions,
	{accountId, domains, apiKey, botUser, provisioning}: {accountId: string; domains: Domains; apiKey: ApiKeyResult; botUser: BotUserResult; provisioning: ProvisioningResult},
): string[] {
	const scheme = new URL(options.csdsUrl ?? 'https://api.liveperson.net').protocol;
	const users = `${scheme}//${domains['accountConfigReadOnly']}/api/account/${accountId}/configuration/le-users/users?v=4.0`;
	const profileFlag = profile === 'default' ? '' : ` --profile ${profile}`;
	const lines = [
		`Account:       ${accountId} (profile ${profile})`,
		`Domains:       ${Object.keys(domains).length} services, cached for 10 minutes`,
		`API key:       works, kept in ${storeDescriptions[secrets.kind]}${apiKey.alreadyDone ? ' (earlier run)' : ''}`,
		`Login:         ${botUser.loginName} with ${loginMethodLabels[botUser.loginMethod]}${botUser.created ? ' (created now)' : ''}`,
		`Functions:     ${provisioningLabels[provisioning.status]}`,
		'',
		'Next steps:',
		`  lp-onboard auth header GET "${users}"${profileFlag}   # a signed header for curl`,
		`  lp-onboard status${profileFlag}                # what is set up, and whether the key still works`,
	];
	if (provisioning.status !== 'done' && provisioning.status !== 'already-done') {
		lines.push(`  lp-onboard provision --yes${profileFlag}       # provision LivePerson Functions`);
	}

	return lines;
}

/** Step 6: what was set up, and what to run next. */
export function summaryStep(deps: Dependencies, options: WizardOptions, result: Parameters<typeof summaryLines>[2]): void {
	deps.ui.step(stepInfo('summary'));
	const ok = result.provisioning.status !== 'failed' && result.provisioning.status !== 'pending-ui';
	deps.ui.success(ok ? 'You are set up.' : 'Set up, except LivePerson Functions.', summaryLines(deps, options, result));
}
