import {MissingInputError} from '../errors.js';
import type {Factory} from '../factory.js';
import type {LoginBody} from '../liveperson/types.js';
import {type RunCommand, result} from './command.js';
import {resolveAccountId} from './shared/account.js';

/**
The admin login provisioning runs as: --username/LP_USERNAME (its password from LP_PASSWORD, --stdin or the hidden
prompt). At a terminal without one, it is asked (on the sandbox, its demo admin is offered first). Without a terminal,
the profile's bot with its stored credentials (OAuth 2.0 client or API key), which must be an administrator.
*/
async function adminLogin(f: Factory, accountId: string | undefined): Promise<LoginBody> {
	const prompter = await f.prompter();
	const password = async (username: string) => prompter.secret({id: 'password', message: `Password of ${username}`, validate: value => value !== '' || 'Required.'});
	const given = f.flags.username ?? f.env['LP_USERNAME'];
	if (given) {
		return {username: given, password: await password(given)};
	}

	if (f.io.canPrompt) {
		const sandbox = await f.sandbox();
		const {sandboxFunctionsUi} = await import('../provisioning/guide.js');
		const demo = sandbox && accountId ? sandboxFunctionsUi(sandbox).demoAdmin?.(accountId) : undefined;
		if (demo && await prompter.confirm({id: 'sandbox-admin', message: `Use the sandbox's demo admin login (${demo.username})?`, default: true})) {
			return {username: demo.username, password: demo.password};
		}

		const username = (await prompter.text({id: 'username', message: 'Administrator username (used for this run only, never stored)', validate: value => value.trim() !== '' || 'Required.'})).trim();
		return {username, password: await password(username)};
	}

	const profile = await f.profile();
	if (profile?.botLoginName && profile.accountId) {
		const {resolveCredentials} = await import('./shared/credentials.js');
		try {
			return {username: profile.botLoginName, credentials: await resolveCredentials(f, profile.accountId)};
		} catch (error) {
			if (!(error instanceof MissingInputError)) {
				throw error;
			}
		}
	}

	throw new MissingInputError('admin login', '--username', 'LP_USERNAME');
}

async function accountIds(f: Factory): Promise<{ids: string[]; many: boolean}> {
	if (!f.flags.accounts) {
		return {ids: [await resolveAccountId(f)], many: false};
	}

	const {readAccountsFile} = await import('../provisioning/accounts-file.js');
	const again = new Map<string, number[]>();
	const ids = await readAccountsFile(f.flags.accounts, {signal: f.signal, onDuplicate({accountId, line, firstLine}) {
		again.set(accountId, [...again.get(accountId) ?? [firstLine], line]);
	}});
	if (again.size > 0) {
		const list = [...again].map(([id, lines]) => `${id} (lines ${lines.join(', ')})`).join('; ');
		(await f.ui()).warn(`The accounts file lists ${again.size === 1 ? 'an account' : `${again.size} accounts`} more than once, `
			+ `each provisioned once: ${list}.`);
	}

	return {ids, many: true};
}

const acceptAllQuestion = 'The sandbox serves a stand-in for the Functions UI: accept it on your behalf for each account that waits on it'
	+ ' (stands in for the click in the real UI)?';

/** `lp-onboard provision`: LivePerson Functions on one account or a list, idempotent and resumable. */
export const run: RunCommand = async f => {
	const {flags} = f;
	if (flags.showPrivileges) {
		// The default app keys' privileges, of the version asked for or of both.
		const {privilegeRows} = await import('../provisioning/tasks.js');
		const rows = (flags.functionsVersion ? [flags.functionsVersion] : [1, 2] as const)
			.flatMap(version => privilegeRows(version));
		const bySecret = new Map<string, string[]>();
		for (const [name, privilege] of rows) {
			bySecret.set(name, [...(bySecret.get(name) ?? []), privilege]);
		}

		return result(
			[...bySecret].map(([name, privileges]) => [name, ...privileges.map(privilege => `  ${privilege}`)].join('\n')),
			Object.fromEntries(bySecret),
		);
	}

	const {ids, many} = await accountIds(f);
	const login = await adminLogin(f, ids[0]);
	const [
		{provisionAccount, provisionExitCode},
		{provisionMany},
		{createProvisioningGuide, sandboxFunctionsUi},
		prompter,
		ui,
		api,
		sandbox,
	] = await Promise.all([
		import('../provisioning/provision.js'),
		import('../provisioning/provision-many.js'),
		import('../provisioning/guide.js'),
		f.prompter(),
		f.ui(),
		f.api(),
		f.sandbox(),
	]);
	// The sandbox's stand-in for the Functions UI, only with --sandbox. A person at a terminal is guided through the UI
	// step; `--yes` and a run without a terminal never ask: they only check, repair and report, except that on the
	// in-process sandbox the page is accepted (for every account of --accounts too, so the admin demo stays short).
	const functionsUi = sandbox && sandboxFunctionsUi(sandbox);
	const ask = f.io.canPrompt && !flags.yes;
	const guide = ask || functionsUi
		? createProvisioningGuide({prompter, openUrl: f.openUrl, ...(functionsUi ? {functionsUi} : {}), ask})
		: undefined;
	const confirm = async () => prompter.confirm({
		id: 'confirm-provision',
		message: `Provision LivePerson Functions on ${ids.length === 1 ? `account ${ids[0]}` : `${ids.length} accounts`}?`,
		default: false,
	});
	const common = {
		api,
		ui,
		login,
		versionOverride: flags.functionsVersion,
		dryRun: flags.dryRun,
		yes: flags.yes,
		resume: flags.resume,
		confirm,
		signal: f.signal,
		clock: f.clock,
		stateDir: f.paths.stateDir,
		...(functionsUi ? {uiUrl: functionsUi.url, watch: {pollMs: 500}} : {}),
	};
	if (!many) {
		const report = await provisionAccount({...common, accountId: ids[0]!, ...(guide ? {guide} : {})});
		if (!flags.json) {
			const {reportSummary} = await import('../provisioning/report-text.js');
			const summary = reportSummary(report);
			if (summary.ok) {
				ui.success(summary.title, summary.lines);
			} else {
				ui.warn([summary.title, ...summary.lines.map(line => `  ${line}`)].join('\n'));
			}
		}

		return {exitCode: provisionExitCode([report]), json: report};
	}

	// A person is never guided through many accounts at once: at a terminal, the sandbox's page is offered once for all of
	// them, after the confirmation, as `--yes` accepts it.
	const acceptAll = functionsUi && createProvisioningGuide({prompter, openUrl: f.openUrl, functionsUi, ask: false});
	const offerGuide = acceptAll && ask
		? async () => (await prompter.confirm({id: 'functions-ui', message: acceptAllQuestion, default: true}) ? acceptAll : undefined)
		: undefined;
	const outcome = await provisionMany({
		...common,
		accountIds: ids,
		concurrency: flags.concurrency,
		...(acceptAll && !ask ? {guide: acceptAll} : {}),
		...(offerGuide ? {offerGuide} : {}),
	});
	if (!flags.json) {
		ui.table(outcome.rows, outcome.headers);
	}

	return {
		exitCode: outcome.exitCode,
		// The table above is for the person; tab-separated lines for a pipe, not the same table twice on a terminal.
		text: f.io.stdoutIsTerminal ? undefined : outcome.rows.map(([account, summary]) => `${account}\t${summary}`).join('\n'),
		json: {ok: outcome.ok, accounts: outcome.outcomes},
	};
};

