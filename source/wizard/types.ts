import type {Clock} from '../clock.js';
import type {ConfigStore, LoginMethod} from '../config/config-store.js';
import type {Domains, FunctionsVersion, LivePersonApi} from '../liveperson/types.js';
import type {Prompter} from '../prompts/prompter.js';
import type {FunctionsUiPort} from '../provisioning/guide.js';
import type {provisionAccount} from '../provisioning/provision.js';
import type {SecretStore} from '../secrets/secret-store.js';
import type {Credentials} from '../liveperson/credentials.js';
import type {Ui} from '../ui/ui.js';

/** `provisionAccount` from source/provisioning/provision.ts, injected so wizard tests can fake it. */
export type Provision = typeof provisionAccount;
export type ProvisionReport = Awaited<ReturnType<Provision>>;

/**
Everything the wizard talks to. `cli.tsx` builds it from real adapters; tests build it from fakes and the sandbox.
*/
export type Dependencies = {
	readonly prompter: Prompter;
	readonly ui: Ui;
	readonly secrets: SecretStore;
	readonly api: LivePersonApi;
	readonly config: ConfigStore;
	readonly clock: Clock;
	readonly signal: AbortSignal;
	/**
	Opens a URL in the user's browser. `false` when it could not (no browser, SSH session): the URL was shown anyway.
	*/
	readonly openUrl: (url: string) => Promise<boolean>;
	readonly profile: string;
	/**
	Whether a person is at a terminal. Decides whether a rejected answer (unknown account, 401 on the signed call) is asked
	again or ends the run with the error.
	*/
	readonly interactive: boolean;
	readonly provision: Provision;
	/** Where provisioning keeps its checkpoint. */
	readonly stateDir: string;
	/** The sandbox's stand-in for the Functions UI; only with an in-process sandbox. */
	readonly functionsUi?: FunctionsUiPort;
	/** The in-process sandbox's demo account: the account question's default (the sandbox has no sign-up page to open). */
	readonly demoAccountId?: string;
	/**
	How the user started lp-onboard (`lp-onboard`, `npx lp-onboard`, `node dist/cli.js`): the summary's next steps start
	with it, so they run as pasted (`invocationOf` in source/cli/invocation.ts).
	*/
	readonly invocation: string;
};

export type {LoginMethod};

/**
How the run goes. Answers (account, bot name, login method…) come only through the prompter, which knows each prompt's
flag and env var.
*/
export type WizardOptions = {
	readonly skipProvisioning?: boolean;
	readonly functionsVersion?: FunctionsVersion;
	/** `--yes`: provision without asking. */
	readonly yes?: boolean;
	readonly dryRun?: boolean;
	/** Only its scheme is used, to show full URLs (http against the sandbox). @default 'https://api.liveperson.net' */
	readonly csdsUrl?: string;
	/** `--sandbox`: the next steps carry it, so they reach the same (persisted) sandbox state. */
	readonly sandbox?: boolean;
	/** A `--csds-url` given without `--save-csds-url`: the profile does not keep it, so the next steps carry it. */
	readonly unsavedCsdsUrl?: string;
};

export type AccountResult = {
	readonly accountId: string;
	/** The CSDS answer that proved the account exists (on a re-run too: it is the re-check). */
	readonly domains: Domains;
	readonly alreadyDone: boolean;
};

export type DomainsResult = {
	readonly domains: Domains;
	/** A re-run found CSDS's answer equal to the cached one. */
	readonly alreadyDone: boolean;
};

export type CredentialsResult = {
	/** An OAuth 2.0 client or a legacy OAuth 1.0 key: the steps after this one only pass it on. */
	readonly credentials: Credentials;
	readonly alreadyDone: boolean;
};

export type BotUserResult = {
	readonly loginName: string;
	readonly loginMethod: LoginMethod;
	/** Known when this run logged in; `undefined` when the step was already done. */
	readonly isAdmin: boolean | undefined;
	readonly created: boolean;
	readonly alreadyDone: boolean;
};

export type ProvisioningResult =
	| {readonly status: 'skipped'; readonly reason: string}
	| {readonly status: 'already-done'}
	/** `pending-ui`: the Functions UI step (terms of use, V2 trigger) is not done yet; nothing failed. */
	| {readonly status: 'done' | 'failed' | 'pending-ui'; readonly report: ProvisionReport; readonly loginName: string};

export type WizardResult = {
	readonly ok: boolean;
	readonly profile: string;
	readonly accountId: string;
	readonly domains: Domains;
	readonly credentials: CredentialsResult;
	readonly botUser: BotUserResult;
	readonly provisioning: ProvisioningResult;
	/** Steps this run skipped because an earlier run finished them. */
	readonly skipped: readonly string[];
};
