import {UsageError, exitCodes} from '../errors.js';
import type {Factory} from '../factory.js';
import type {PresetAnswers} from '../prompts/prompter-stack.js';
import {clientAsEnv, credentialsAsEnv} from '../liveperson/credentials.js';
import {type RunCommand, result} from './command.js';

/**
With `--sandbox`: the demo account and its OAuth 2.0 client (or, with --auth-method oauth1, its legacy key) as preset
answers, so a newcomer types none of the values. `--demo` takes them without asking; `--demo --account 87654321` picks
that demo account (V2). Not offered again once the profile has a working key, nor when the user gives an account or a
key.
*/
async function sandboxDemo(f: Factory): Promise<PresetAnswers> {
	const sandbox = await f.sandbox();
	if (!sandbox) {
		return {};
	}

	const {formatDemo} = await import('../sandbox/server.js');
	const [ui, profile] = await Promise.all([f.ui(), f.profile()]);
	// Every demo value once, while the profile has no key yet; after that a pointer to where they are listed.
	const keyed = profile?.completedSteps?.includes('api-key') ?? false;
	ui.info(keyed
		? `Running against the embedded LivePerson sandbox (\`${f.invocation} sandbox\` lists its demo accounts, logins and keys).`
		: ['Running against the embedded LivePerson sandbox. Its demo values:', ...formatDemo(sandbox, {inProcess: true}).map(text => `  ${text}`)].join('\n'));
	const demoAccounts: Record<string, (typeof sandbox.demo.accounts)['12345678']> = sandbox.demo.accounts;
	const {flags} = f;
	const demo = demoAccounts[flags.demo && flags.account ? flags.account : '12345678'];
	if (!demo) {
		throw new UsageError(`--demo knows no sandbox account ${flags.account!}.`, `Use one of ${Object.keys(demoAccounts).join(', ')}, or drop --account.`);
	}

	const offer = f.io.canPrompt && flags.account === undefined && !f.env['LP_APP_KEY'] && !f.env['LP_CLIENT_ID'] && !keyed;
	const useDemo = flags.demo || (offer && await (await f.prompter()).confirm({id: 'sandbox-demo', message: `Use the demo account ${demo.accountId} and its credentials?`, default: true}));
	if (!useDemo) {
		return {};
	}

	// The demo's OAuth 2.0 client, the default; its legacy key only when asked for (--auth-method oauth1).
	const legacy = (flags.authMethod ?? f.env['LP_AUTH_METHOD']) === 'oauth1';
	return {
		LP_ACCOUNT_ID: demo.accountId,
		...(legacy ? credentialsAsEnv(demo.apiKey) : clientAsEnv(demo.client)),
	};
}

/** `lp-onboard` with no command: the onboarding wizard, steps 1 to 6. */
export const run: RunCommand = async f => {
	const {flags} = f;
	const demo = await sandboxDemo(f);
	const prompter = await f.prompter(demo);
	const secrets = await f.secrets({forWriting: true, prompter});
	const [{runWizard}, {provisionAccount}, {sandboxFunctionsUi}, ui, api, csdsUrl, sandbox] = await Promise.all([
		import('../wizard/run-wizard.js'),
		import('../provisioning/provision.js'),
		import('../provisioning/guide.js'),
		f.ui(),
		f.api(),
		f.csdsUrl(),
		f.sandbox(),
	]);
	// A --csds-url is for this run, unless the user asks to keep it (--save-csds-url); it never carries credentials.
	if (flags.sandbox || (flags.csdsUrl && flags.saveCsdsUrl)) {
		await f.config.update(
			flags.profile,
			{csdsUrl: flags.sandbox ? undefined : csdsUrl, sandbox: flags.sandbox || undefined},
		);
	}

	const outcome = await runWizard(
		{prompter, ui, secrets, api, config: f.config, clock: f.clock, signal: f.signal, openUrl: f.openUrl, profile: flags.profile, interactive: f.io.canPrompt, provision: provisionAccount, stateDir: f.paths.stateDir, invocation: f.invocation, ...(sandbox ? {functionsUi: sandboxFunctionsUi(sandbox), demoAccountId: sandbox.demo.accounts['12345678'].accountId} : {})},
		{
			skipProvisioning: flags.skipProvisioning || undefined,
			functionsVersion: flags.functionsVersion,
			yes: flags.yes || undefined,
			dryRun: flags.dryRun || undefined,
			csdsUrl,
			sandbox: flags.sandbox || undefined,
			unsavedCsdsUrl: flags.saveCsdsUrl ? undefined : flags.csdsUrl,
		},
	);
	// Never the credentials themselves: only their kind and where they are kept.
	const {credentials: {credentials, ...kept}, ...rest} = outcome;
	const exitCode = outcome.ok ? exitCodes.ok : (outcome.provisioning.status === 'pending-ui' ? exitCodes.pendingUi : exitCodes.partial);
	return result(undefined, {...rest, credentials: {...kept, kind: credentials.kind, storage: secrets.kind}}, exitCode);
};
