import {storeDescriptions} from '../secrets/secret-store.js';
import {fieldsOf, kindLabels, type CredentialKind, usersApiVersion} from '../liveperson/credentials.js';
import {loginMethodLabels} from './bot-user-step.js';
import {domainsMaxAgeMs} from '../config/domains-cache.js';
import {setupFlags} from './setup-flags.js';
import {stepInfo} from './steps.js';
import type {CredentialsResult, BotUserResult, Dependencies, ProvisioningResult, WizardOptions} from './types.js';

const provisioningLabels: Record<ProvisioningResult['status'], string> = {
	done: 'provisioned',
	'already-done': 'provisioned (earlier run)',
	failed: 'not finished',
	'pending-ui': 'waits on the Functions UI step',
	skipped: 'not provisioned',
};

/**
The call the summary suggests: the account's users, the call the credentials were proved with. `api` fills
`{accountId}`.
*/
export function usersApiPath(kind: CredentialKind): string {
	return `/api/account/{accountId}/configuration/le-users/users?v=${usersApiVersion(kind)}`;
}

type SummaryInput = {
	accountId: string;
	credentials: CredentialsResult;
	botUser: BotUserResult;
	provisioning: ProvisioningResult;
};

/** Stands for the admin's login name when the wizard knows no admin (the user declined before it asked). */
export const adminPlaceholder = 'ADMIN_LOGIN';

/**
`provision` for later, as pasted at a terminal, with a comment. Without `--username` it logs in as the bot, so it
carries the admin this run used, or (the bot not known to be one) the sandbox's demo admin, or a placeholder when the
bot is not one. No `--yes`: at a terminal it asks the admin's password, the confirmation and guides the Functions UI
step (on `--sandbox` it offers to accept the sandbox's page).
*/
export function provisionCommand(
	{invocation, profile, functionsUi}: Pick<Dependencies, 'invocation' | 'profile' | 'functionsUi'>,
	options: WizardOptions,
	{accountId, botUser, provisioning}: Pick<SummaryInput, 'accountId' | 'botUser' | 'provisioning'>,
): {words: string[]; comment: string} {
	const used = 'loginName' in provisioning ? provisioning.loginName : undefined;
	const demo = options.sandbox ? functionsUi?.demoAdmin?.(accountId) : undefined;
	let admin: string | undefined;
	if (used !== undefined) {
		admin = used === botUser.loginName ? undefined : used;
	} else if (botUser.isAdmin !== true && demo) {
		admin = demo.username;
	} else if (botUser.isAdmin === false) {
		admin = adminPlaceholder;
	}

	const comment = admin === adminPlaceholder
		? `provision Functions: put an account admin's login for ${adminPlaceholder}`
		: (demo && admin === demo.username ? `provision Functions as the demo admin (password ${demo.password})` : 'provision LivePerson Functions');
	return {words: [invocation, 'provision', ...(admin ? ['--username', admin] : []), ...setupFlags(profile, options)], comment};
}

/**
The commands to run next, each as it would be pasted: the user's own invocation, and the flags that pick the same setup.
Nothing names the in-process sandbox's port: it is gone when the wizard exits.
*/
export function nextSteps(
	deps: Pick<Dependencies, 'invocation' | 'profile' | 'functionsUi'>,
	options: WizardOptions,
	input: Pick<SummaryInput, 'accountId' | 'botUser' | 'provisioning'> & Partial<Pick<SummaryInput, 'credentials'>>,
): string[] {
	const {invocation, profile} = deps;
	const flags = setupFlags(profile, options);
	const kind = input.credentials?.credentials.kind ?? 'oauth2';
	const steps: Array<[string[], string]> = [
		[[invocation, 'api', 'GET', `'${usersApiPath(kind)}'`, ...flags], `an authorized call (${kind === 'oauth2' ? 'Bearer token' : 'OAuth 1.0 signature'}): the account's users`],
		[[invocation, 'status', ...flags], 'what is set up, and whether the credentials still work'],
	];
	if (input.provisioning.status !== 'done' && input.provisioning.status !== 'already-done') {
		const {words, comment} = provisionCommand(deps, options, input);
		steps.push([words, comment]);
	}

	// A command and its comment on one line: the UI shows the comment above the command, and breaks the command (between
	// shell words, with ` \` continuations) only when it does not fit the terminal it is drawn on.
	return steps.map(([words, comment]) => `  ${words.join(' ')}  # ${comment}`);
}

/** The lines the summary shows; exported so `status` and tests can reuse the wording. */
export function summaryLines(deps: Pick<Dependencies, 'profile' | 'secrets' | 'invocation' | 'functionsUi'>, options: WizardOptions, result: SummaryInput & {domains: Readonly<Record<string, string>>}): string[] {
	const {accountId, domains, credentials, botUser, provisioning} = result;
	const stored = deps.secrets.kind !== 'memory';
	const lines = [
		`Account:       ${accountId} (profile ${deps.profile})`,
		`Domains:       ${Object.keys(domains).length} services, cached for ${domainsMaxAgeMs / 60_000} minutes`,
		`Credentials:   ${kindLabels[credentials.credentials.kind]}, working, ${stored ? `kept in ${storeDescriptions[deps.secrets.kind]}${credentials.alreadyDone ? ' (earlier run)' : ''}` : 'not stored'}`,
		`Login:         ${botUser.loginName} with ${loginMethodLabels[botUser.loginMethod]}${botUser.created ? ' (created now)' : ''}`,
		`Functions:     ${provisioningLabels[provisioning.status]}`,
		'',
	];
	if (!stored) {
		const names = fieldsOf(credentials.credentials.kind).map(row => row.env);
		lines.push(
			'The credentials are not stored anywhere. For the commands below and the next run, set',
			`${names.slice(0, -1).join(', ')} and ${names.at(-1)!} in the`,
			'environment, or pipe them as KEY=VALUE lines with --stdin.',
			'',
		);
	}

	lines.push('Next steps:', ...nextSteps(deps, options, result));
	return lines;
}

/**
The summary's headline: "You are set up." only when nothing is missing (a provisioning the user skipped is not missing).
*/
export function summaryTitle({secrets}: Pick<Dependencies, 'secrets'>, {provisioning}: Pick<SummaryInput, 'provisioning'>): string {
	const settled: ReadonlyArray<ProvisioningResult['status']> = ['done', 'already-done', 'skipped'];
	const gaps = [
		settled.includes(provisioning.status) ? undefined : `LivePerson Functions (${provisioningLabels[provisioning.status]})`,
		secrets.kind === 'memory' ? 'the credentials are not stored' : undefined,
	].filter(Boolean);
	return gaps.length === 0 ? 'You are set up.' : `Set up, except: ${gaps.join('; ')}.`;
}

/** Step 6: what was set up, and what to run next. */
export function summaryStep(
	deps: Dependencies,
	options: WizardOptions,
	result: Parameters<typeof summaryLines>[2],
): void {
	deps.ui.step(stepInfo('summary'));
	deps.ui.success(summaryTitle(deps, result), summaryLines(deps, options, result));
}
