import {MissingInputError} from '../errors.js';
import {defaultAllowlistServices, detectFunctionsVersion} from '../liveperson/functions-defaults.js';
import type {Domains, LoginBody} from '../liveperson/types.js';
import {createProvisioningGuide} from '../provisioning/guide.js';
import type {Credentials} from '../liveperson/credentials.js';
import {isDone, loadProfile, markDone} from './profile-state.js';
import {stepInfo} from './steps.js';
import {provisionCommand} from './summary-step.js';
import type {BotUserResult, Dependencies, ProvisioningResult, WizardOptions} from './types.js';

/** What step 5 does, per version, in the provisioning pages' words. */
export const provisioningPlans = {
	1: `an admin agrees to the terms of use in the Functions UI, which activates Functions and installs the default secrets; lp-onboard then allowlists the ${defaultAllowlistServices.length} default domains`,
	2: 'an admin triggers the one-time provisioning in the Functions UI (infrastructure, the default secret; up to 10 minutes)',
} as const;

/**
Step 5: LivePerson Functions. Asks first (unless `--yes`), then needs a Conversational Cloud admin: the tool's own login
when it is one, otherwise an admin's username and password, which are used for this run only and never stored. In a
terminal (or on the sandbox's Functions UI page) the admin is guided through the Functions UI; otherwise the step
reports what the UI still needs.
*/
export async function provisioningStep(
	deps: Dependencies,
	options: WizardOptions,
	{accountId, domains, credentials, botUser, force = false}: {
		accountId: string;
		domains: Domains;
		credentials: Credentials;
		botUser: BotUserResult;
		force?: boolean;
	},
): Promise<ProvisioningResult> {
	const {prompter, ui} = deps;
	// How to do it later, as pasted: the summary's next step.
	const later = (provisioning: ProvisioningResult) => `\`${provisionCommand(deps, options, {accountId, botUser, provisioning}).words.join(' ')}\``;
	const state = await loadProfile(deps);
	const done = !force && isDone(state, 'provisioning');
	ui.step({...stepInfo('provisioning'), done: done && !options.skipProvisioning});
	if (options.skipProvisioning) {
		const skipped = {status: 'skipped', reason: '--skip-provisioning'} as const;
		ui.info(`Skipped (--skip-provisioning). Run ${later(skipped)} when you want it.`);
		return skipped;
	}

	if (done) {
		ui.alreadyDone('LivePerson Functions is provisioned.');
		return {status: 'already-done'};
	}

	const version = options.functionsVersion ?? detectFunctionsVersion(domains);
	ui.info(`LivePerson Functions V${version}: ${provisioningPlans[version]}.`);
	const go = options.yes ?? await prompter.confirm({
		id: 'confirm-provision',
		message: `Provision LivePerson Functions (V${version}) on account ${accountId} now?`,
		default: true,
	}).catch((error: unknown) => {
		// Without a terminal the answer is either way: provision (--yes) or not (--skip-provisioning).
		throw error instanceof MissingInputError
			? new MissingInputError('an answer to "Provision LivePerson Functions now?"', '--yes', 'LP_YES', 'Pass --yes (or LP_YES=1) to provision, or --skip-provisioning to stop before it.')
			: error;
	});
	if (!go) {
		const declined = {status: 'skipped', reason: 'declined'} as const;
		ui.info(`Not now. Run ${later(declined)} when you want it.`);
		return declined;
	}

	const login = await adminLogin(deps, {accountId, domains, credentials, botUser});
	const report = await deps.provision({
		api: deps.api,
		ui,
		accountId,
		domains,
		login,
		versionOverride: options.functionsVersion,
		dryRun: options.dryRun,
		yes: true,
		confirm: async () => true,
		signal: deps.signal,
		clock: deps.clock,
		stateDir: deps.stateDir,
		...(deps.interactive || deps.functionsUi
			? {
				guide: createProvisioningGuide({
					prompter,
					openUrl: deps.openUrl,
					functionsUi: deps.functionsUi,
					ask: deps.interactive && !options.yes,
				}),
			}
			: {}),
		// The sandbox answers at once; LivePerson is polled every 5 s.
		...(deps.functionsUi ? {uiUrl: deps.functionsUi.url, watch: {pollMs: 500}} : {}),
	});
	if (report.ok && !report.dryRun) {
		await markDone(deps, 'provisioning');
	}

	if (report.pendingUi) {
		const pending = {status: 'pending-ui', report, loginName: login.username} as const;
		// The in-process sandbox's page dies with this process: name the command that offers it again, not its URL.
		ui.warn(deps.functionsUi
			? `Functions waits on the Functions UI step. To do it later, run ${later(pending)}: it offers to accept the sandbox's page.`
			: `Functions waits on the Functions UI step (${report.pendingUi.url}). Once done there, run ${later(pending)}.`);
		return pending;
	}

	const result = {status: report.ok ? 'done' : 'failed', report, loginName: login.username} as const;
	if (!report.ok) {
		const failed = report.tasks.filter(task => task.status === 'failed').map(task => task.title);
		ui.warn(`Provisioning did not finish${failed.length > 0 ? `: ${failed.join(', ')} failed` : ''}. Run ${later(result)} to resume.`);
	}

	return result;
}

async function adminLogin(
	deps: Dependencies,
	{accountId, domains, credentials, botUser}: {
		accountId: string;
		domains: Domains;
		credentials: Credentials;
		botUser: BotUserResult;
	},
): Promise<LoginBody> {
	const {prompter, ui, api, signal, secrets} = deps;
	let own: LoginBody | undefined;
	if (botUser.loginMethod === 'api-key') {
		own = {username: botUser.loginName, credentials};
	} else {
		const password = await secrets.get({profile: deps.profile, accountId, name: 'password'});
		own = password === undefined ? undefined : {username: botUser.loginName, password};
	}

	let isAdmin = botUser.isAdmin;
	if (own && isAdmin === undefined) {
		const login = own;
		isAdmin = await ui.task(`Checking whether ${own.username} is an administrator`, async () => {
			const session = await api.login(accountId, domains, login, {signal});
			try {
				return session.isAdmin;
			} finally {
				await api.logout(session, domains, {signal});
			}
		});
	}

	if (own && isAdmin) {
		return own;
	}

	ui.info(`Provisioning needs a Conversational Cloud administrator, and ${botUser.loginName} is not one. The admin login is used for this run only and not stored.`);
	const demo = deps.functionsUi?.demoAdmin?.(accountId);
	// Offered at a terminal, taken without one under --demo; a --username given wins.
	const offer = demo && prompter.preset?.('username') === undefined
		&& (deps.interactive || prompter.preset?.('sandbox-admin') !== undefined);
	if (offer && await prompter.confirm({id: 'sandbox-admin', message: `Use the sandbox's demo admin login (${demo.username})?`, default: true})) {
		return {username: demo.username, password: demo.password};
	}

	const username = (await prompter.text({id: 'username', message: 'Administrator username', validate: value => value.trim() !== '' || 'Required.'})).trim();
	const password = await prompter.secret({id: 'password', message: `Password of ${username}`, validate: value => value !== '' || 'Required.'});
	return {username, password};
}
