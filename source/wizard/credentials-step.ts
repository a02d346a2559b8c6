import {HttpError, LpError, MissingInputError} from '../errors.js';
import {hints} from '../liveperson/hints.js';
import {redactAuthorization} from '../liveperson/oauth.js';
import type {Authorizer} from '../liveperson/authorizer.js';
import type {Domains} from '../liveperson/types.js';
import {storeDescriptions} from '../secrets/secret-store.js';
import {
	clientEnvList,
	credentialEnvList,
	credentialsOf,
	describeCredentials,
	fieldsOf,
	kindLabels,
	oauth1EndOfLife,
	validateCredentialValue,
	type CredentialKind, type Credentials,
} from '../liveperson/credentials.js';
import {authorizerOf, usersUrlFor} from './authorize.js';
import {back, backChoice, backValue, type Back} from './navigation.js';
import {isDone, type WizardState} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {CredentialsResult, Dependencies, WizardOptions} from './types.js';

/** Typed at the first credentials prompt, goes back to the previous step. */
export const backAnswer = '<';

/**
How to create a key in the LivePerson UI (docs/liveperson-api.md §3, §4, §5). Legacy: no new keys since 2025-09-30.
*/
export const createKeyInstructions = [
	`OAuth 1.0 API keys are legacy: LivePerson makes no new ones since ${oauth1EndOfLife.noNewKeys}, and ended OAuth 1.0 on ${oauth1EndOfLife.protocol}.`,
	'An existing key is in the LivePerson console (Administrator or Campaign Manager):',
	'  1. Campaign Builder → Data Sources → API tab → open the key.',
	'  2. It needs Category Administration → Users (list and create users), the Profiles and Agent Groups read permissions (the bot user\'s profile and group), and Agent Interactions → User Login.',
	'  3. Copy the App key, Secret, Access token and Access token secret.',
] as const;

/**
The scopes the next steps need (docs/liveperson-api.md "OAuth 2.0"): the Users API's, on its current and its older page.
*/
export const applicationScopes = ['users.external', 'users.read', 'users.write'] as const;

/**
The application schema LivePerson's "Installing Conversational Cloud applications" page describes, for a schema upload.
*/
export const applicationSchema = {
	client_name: 'lp-onboard',
	description: 'lp-onboard: the LivePerson onboarding wizard and daily API client',
	grant_types: ['client_credentials'],
	response_types: ['token'],
	scope: applicationScopes.join(' '),
} as const;

/** How to create OAuth 2.0 client credentials in the Management Console (docs/liveperson-api.md "OAuth 2.0"). */
export const createClientInstructions = [
	`OAuth 2.0 client credentials (LivePerson ended OAuth 1.0 on ${oauth1EndOfLife.protocol}). As an Administrator:`,
	'  1. Manage → Management Console → search "Application Install" → Proceed to Configure → Create Application.',
	`  2. Grant type client_credentials; scopes ${applicationScopes.join(' ')}.`,
	'  3. In the application list, "edit" shows the client id and client secret: copy both.',
] as const;

type Choice = 'keep' | 'oauth2' | 'schema' | 'oauth1' | typeof backValue;

/**
Step 3: the credentials. OAuth 2.0 client credentials by default: a Sentinel token for the client, proved with one Users
API call; a legacy OAuth 1.0 key as the second choice, proved with one signed call. Only proven values are saved, so the
store never holds credentials that did not work. Stored credentials that still work are kept without asking.
*/
export async function credentialsStep(
	deps: Dependencies,
	options: WizardOptions,
	wizard: WizardState,
	{accountId, domains, force = false, proven}: {
		accountId: string;
		domains: Domains;
		force?: boolean;
		proven?: Credentials;
	},
): Promise<CredentialsResult | Back> {
	const {ui, secrets} = deps;
	ui.step(stepInfo('api-key'));
	const state = wizard.profile;
	const given = givenKind(deps);
	// A profile from before the kind was recorded holds an OAuth 1.0 key (the only kind there was).
	const candidates: CredentialKind[] = state.credentials ? [state.credentials] : (isDone(state, 'api-key') ? ['oauth1'] : ['oauth2', 'oauth1']);
	const stored = force
		? undefined
		: await readStored(deps, accountId, candidates.filter(kind => !given || kind === given));
	if (stored) {
		try {
			await prove(deps, accountId, domains, stored, 'Checking the stored credentials');
			ui.alreadyDone(`the ${kindLabels[stored.kind]} (${describeCredentials(stored)}) in ${storeDescriptions[secrets.kind]} works.`);
			if (!isDone(state, 'api-key') || state.credentials !== stored.kind) {
				await wizard.record({credentials: stored.kind}, 'api-key');
			}

			if (stored.kind === 'oauth1') {
				// A legacy profile is offered the switch on every re-run, without a question in the way.
				ui.warn(`OAuth 1.0 ended on ${oauth1EndOfLife.protocol}. To switch to OAuth 2.0 client credentials, run the wizard with --auth-method oauth2.`);
			}

			return {credentials: stored, alreadyDone: true};
		} catch (error) {
			if (!isRejected(error)) {
				throw error;
			}

			ui.warn(`The stored credentials (${describeCredentials(stored)}) were refused (HTTP ${error.status}); enter them again.`);
		}
	}

	// After LivePerson refused a legacy key at a terminal, the person chooses the kind again (OAuth 2.0 first), even
	// when a flag named it: the way out of a key past its end of life.
	let choose = false;
	for (;;) {
		const kind = given && !choose ? given : await chooseKind(deps, proven);
		if (kind === backValue) {
			return back;
		}

		if (kind === 'keep' && proven) {
			return {credentials: proven, alreadyDone: false};
		}

		const result = await askAndProve(deps, wizard, options, {accountId, domains, kind: kind === 'schema' || kind === 'keep' ? 'oauth2' : kind, schema: kind === 'schema'});
		if (result === refusedKey) {
			// A flag's answer is used once (prompter-stack.ts): take it here, so the question below goes to the person.
			if (!choose && deps.prompter.preset?.('auth-method') !== undefined) {
				await chooseKind(deps, proven);
			}

			choose = true;
			continue;
		}

		if (result === back) {
			if (given && !choose) {
				return back;
			}

			continue;
		}

		return result;
	}
}

/** The kind the run was told: --auth-method / LP_AUTH_METHOD, or the values given in the environment. */
function givenKind({prompter}: Dependencies): CredentialKind | undefined {
	const named = prompter.preset?.('auth-method');
	if (named === 'oauth2' || named === 'oauth1') {
		return named;
	}

	if (fieldsOf('oauth2').some(({prompt}) => prompter.preset?.(prompt) !== undefined)) {
		return 'oauth2';
	}

	return fieldsOf('oauth1').some(({prompt}) => prompter.preset?.(prompt) !== undefined) ? 'oauth1' : undefined;
}

/** `proven`: what this run proved before the user went back, offered first so going back loses nothing. */
async function chooseKind(deps: Dependencies, proven: Credentials | undefined): Promise<Choice> {
	return deps.prompter.select<Choice>({
		id: 'auth-method',
		message: 'Which credentials should lp-onboard use?',
		choices: [
			...(proven ? [{value: 'keep' as const, name: `Keep the ${kindLabels[proven.kind]} just proven (${describeCredentials(proven)})`}] : []),
			{value: 'oauth2', name: 'OAuth 2.0 client credentials (recommended)', description: 'A client id and secret of an application installed in the Management Console.'},
			{value: 'schema', name: 'OAuth 2.0, and write the application schema JSON first', description: 'For the Management Console\'s schema upload.'},
			{value: 'oauth1', name: `An OAuth 1.0 API key (legacy, end of life ${oauth1EndOfLife.protocol})`},
			...(deps.interactive ? [backChoice] : []),
		],
		default: proven ? 'keep' : 'oauth2',
	});
}

/** What askAndProve answers when LivePerson refused a legacy key at a terminal: the kind is chosen again. */
const refusedKey = Symbol('refused key');

async function askAndProve(
	deps: Dependencies,
	wizard: WizardState,
	options: WizardOptions,
	{accountId, domains, kind, schema}: {accountId: string; domains: Domains; kind: CredentialKind; schema: boolean},
): Promise<CredentialsResult | Back | typeof refusedKey> {
	const {ui, secrets, profile, interactive} = deps;
	if (kind === 'oauth2' && !domains['sentinel']) {
		throw new LpError(`Account ${accountId} has no sentinel service in CSDS, and OAuth 2.0 tokens come from it.`, {
			hint: 'Ask LivePerson support whether the account has OAuth 2.0, or use the legacy OAuth 1.0 key: --auth-method oauth1.',
		});
	}

	if (schema) {
		const {writeFile, mkdir} = await import('node:fs/promises');
		const file = `${deps.stateDir}/application-schema.json`;
		await mkdir(deps.stateDir, {recursive: true});
		await writeFile(file, `${JSON.stringify(applicationSchema, undefined, 2)}\n`, {mode: 0o600});
		ui.info(`Wrote the application schema to ${file}: upload it in the Management Console, then enter the client id and secret it shows.`);
	}

	ui.info((kind === 'oauth2' ? createClientInstructions : createKeyInstructions).join('\n'));
	for (;;) {
		const answers = await ask(deps, kind);
		if (answers === back) {
			return back;
		}

		const authorizer = authorizerOf(deps, accountId, domains, answers);
		try {
			await prove(deps, accountId, domains, answers, kind === 'oauth2' ? 'Getting a token from Sentinel and proving it (Users API)' : 'Proving the key with a signed call (Users API)', authorizer);
			ui.info(`Calls send: Authorization: ${redactAuthorization(await authorizer.authorize({method: 'GET', url: usersUrlFor(accountId, domains, options, kind)}))}`);
		} catch (error) {
			if (!isRejected(error)) {
				throw error;
			}

			const advice = refusalAdvice(error, kind);
			if (interactive) {
				ui.warn(`LivePerson refused the ${kind === 'oauth2' ? 'client' : 'key'} (HTTP ${error.status}). ${advice}`);
				if (kind === 'oauth1') {
					return refusedKey;
				}

				continue;
			}

			throw new HttpError(`LivePerson refused the ${kindLabels[kind]} (HTTP ${error.status}); nothing was saved.`, error.status, {
				hint: `${advice} Set ${kind === 'oauth2' ? clientEnvList : credentialEnvList} to the right values.`,
				cause: error,
			});
		}

		for (const {field} of fieldsOf(kind)) {
			await secrets.set({profile, accountId, name: field}, (answers as unknown as Record<string, string>)[field]!);
		}

		if (secrets.kind === 'memory') {
			// Not marked done: the next run has nothing to skip with, so it offers what a first run offers (the sandbox's demo
			// values too).
			ui.info(`Not stored: ${storeDescriptions.memory}.`);
		} else {
			await wizard.record({storage: secrets.kind, credentials: kind}, 'api-key');
			ui.info(`Saved the ${kind === 'oauth2' ? 'client id and secret' : 'four values'} in ${storeDescriptions[secrets.kind]}.`);
		}

		return {credentials: answers, alreadyDone: false};
	}
}

/** What to check after a refusal. A legacy key refused on a real account is most likely OAuth 1.0's end of life. */
function refusalAdvice(error: HttpError, kind: CredentialKind): string {
	if (kind === 'oauth2') {
		return error.status === 400
			? 'Sentinel refused the client id or secret: copy both again from the application\'s "edit" page.'
			: `The token lacks a Users API scope (${applicationScopes.join(', ')}), or the application is not installed on this account.`;
	}

	if (error.code === 'timestamp_refused' || error.code === 'nonce_used') {
		return hints.clock;
	}

	return `Check that all four values belong to the same key and that it has the Administration → Users permission. LivePerson ended OAuth 1.0 on ${oauth1EndOfLife.protocol}: `
		+ 'if the values are right, the account no longer takes OAuth 1.0 keys; use OAuth 2.0 client credentials (--auth-method oauth2).';
}

function isRejected(error: unknown): error is HttpError & {status: 400 | 401 | 403} {
	return error instanceof HttpError && (error.status === 401 || error.status === 403 || (error.status === 400 && /Sentinel/.test(error.message)));
}

async function prove(
	deps: Dependencies,
	accountId: string,
	domains: Domains,
	credentials: Credentials,
	title: string,
	authorizer?: Authorizer,
): Promise<void> {
	const port = authorizer ?? authorizerOf(deps, accountId, domains, credentials);
	await deps.ui.task(
		title,
		async () => deps.api.listUsers(accountId, domains, {authorizer: port}, {signal: deps.signal}),
	);
}

/** The first of `kinds` whose values are all stored for the account. */
async function readStored(
	deps: Dependencies,
	accountId: string,
	kinds: readonly CredentialKind[],
): Promise<Credentials | undefined> {
	for (const kind of kinds) {
		const values: Record<string, string> = {};
		for (const {field} of fieldsOf(kind)) {
			const value = await deps.secrets.get({profile: deps.profile, accountId, name: field});
			if (!value) {
				break;
			}

			values[field] = value;
		}

		if (Object.keys(values).length === fieldsOf(kind).length) {
			return credentialsOf(kind, values);
		}
	}

	return undefined;
}

/** "a", "a and b", "a, b and c". */
const listed = (items: readonly string[]) =>
	items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;

/**
Asks for the values of `kind`. Without a terminal, every value that has no flag or variable is named in one error, not
one per run.
*/
async function ask(deps: Dependencies, kind: CredentialKind): Promise<Credentials | Back> {
	const values: Record<string, string> = {};
	const missing: Array<{label: string; env: string; error: MissingInputError}> = [];
	for (const [index, {field, prompt, label, env}] of fieldsOf(kind).entries()) {
		const offerBack = deps.interactive && index === 0;
		// The client id is no secret (it shows in the console's list); the client secret and every key value are.
		const question = {
			id: prompt,
			message: offerBack ? `${label} (${backAnswer} to go back)` : label,
			validate: (answer: string) =>
				(offerBack && answer.trim() === backAnswer) || validateCredentialValue(answer.trim(), label),
		};
		let value: string;
		try {
			value = field === 'clientId' ? await deps.prompter.text(question) : await deps.prompter.secret(question);
		} catch (error) {
			if (!(error instanceof MissingInputError)) {
				throw error;
			}

			missing.push({label, env, error});
			continue;
		}

		if (offerBack && value.trim() === backAnswer) {
			return back;
		}

		values[field] = value.trim();
	}

	if (missing.length === 1) {
		throw missing[0]!.error;
	}

	if (missing.length > 1) {
		throw new MissingInputError(listed(missing.map(({label}) => label)), undefined, listed(missing.map(({env}) => env)));
	}

	return credentialsOf(kind, values);
}
