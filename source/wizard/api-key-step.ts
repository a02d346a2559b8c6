import {HttpError} from '../errors.js';
import {hints} from '../liveperson/hints.js';
import {createOAuthSigner, redactAuthorization} from '../liveperson/oauth.js';
import type {Domains} from '../liveperson/types.js';
import {storeDescriptions} from '../secrets/secret-store.js';
import {credentialEnvList, credentialFields, credentialLabels, credentialPrompts, redact, type Credentials, validateCredentialValue} from '../liveperson/credentials.js';
import {back, type Back} from './navigation.js';
import {isDone, loadProfile, markDone} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {ApiKeyResult, Dependencies, WizardOptions} from './types.js';

/** Typed at the first API-key prompt, goes back to the previous step. */
export const backAnswer = '<';

/** How to create a key in the LivePerson UI (docs/liveperson-api.md §3, §4, §5). */
export const createKeyInstructions = [
	'Create an API key in the LivePerson console (you need to be an Administrator or Campaign Manager):',
	'  1. Campaign Builder → Data Sources → API tab → Add new.',
	'  2. Name it, e.g. "lp-onboard".',
	'  3. Category Administration → Users (lets this tool list and create users).',
	'  4. Category Agent Interactions → User Login (lets the bot user log in with the key).',
	'  5. Save, then copy the App key, Secret, Access token and Access token secret.',
] as const;

const fieldPrompts = credentialFields.map(name => ({name, id: credentialPrompts[name], label: credentialLabels[name]}));

const rejectedHint = 'Check that all four values belong to the same key, and that the key has the Administration → Users permission.';

/**
Step 3: the OAuth 1.0 API key. Proves it with one signed Users API call and only then saves the four values, so the store
never holds a key that did not work. A stored key that still works is kept without asking.
*/
export async function apiKeyStep(
	deps: Dependencies,
	options: WizardOptions,
	{accountId, domains, force = false}: {accountId: string; domains: Domains; force?: boolean},
): Promise<ApiKeyResult | Back> {
	const {ui, secrets, profile, interactive} = deps;
	ui.step(stepInfo('api-key'));
	const state = await loadProfile(deps);
	const stored = await readStored(deps, accountId);
	if (stored && !force) {
		try {
			await prove(deps, accountId, domains, stored, 'Checking the stored API key');
			ui.alreadyDone(`the API key ${describe(stored)} in ${storeDescriptions[secrets.kind]} works.`);
			if (!isDone(state, 'api-key')) {
				await markDone(deps, 'api-key');
			}

			return {credentials: stored, alreadyDone: true};
		} catch (error) {
			if (!isRejected(error)) {
				throw error;
			}

			ui.warn(`The stored API key ${describe(stored)} was rejected (HTTP ${error.status}); enter the key again.`);
		}
	}

	ui.info(createKeyInstructions.join('\n'));
	for (;;) {
		const answers = await ask(deps);
		if (answers === back) {
			return back;
		}

		const header = createOAuthSigner(answers, deps.clock)({method: 'GET', url: usersUrlFor(accountId, domains, options)});
		ui.info(`Signed calls send: Authorization: ${redactAuthorization(header)}`);
		try {
			await prove(deps, accountId, domains, answers, 'Proving the key with a signed call (Users API)');
		} catch (error) {
			if (!isRejected(error)) {
				throw error;
			}

			// A stale OAuth timestamp is the computer's clock, not the key: say so instead of sending the user after the values.
			const clockRefused = error.code === 'timestamp_refused' || error.code === 'nonce_used';
			if (interactive) {
				ui.warn(`LivePerson rejected the key (HTTP ${error.status}). ${clockRefused ? hints.clock : rejectedHint}`);
				continue;
			}

			throw new HttpError(`LivePerson rejected the API key (HTTP ${error.status}); nothing was saved.`, error.status, {
				hint: clockRefused ? hints.clock : `${rejectedHint} Set ${credentialEnvList} to the right values.`,
				cause: error,
			});
		}

		for (const {name} of fieldPrompts) {
			await secrets.set({profile, accountId, name}, answers[name]);
		}

		if (secrets.kind === 'memory') {
			// Not marked done: the next run has no key to skip with, so it offers what a first run offers (the sandbox's demo key too).
			ui.info(`Not stored: ${storeDescriptions.memory}.`);
		} else {
			await markDone(deps, 'api-key', {storage: secrets.kind});
			ui.info(`Saved the four values in ${storeDescriptions[secrets.kind]}.`);
		}

		return {credentials: answers, alreadyDone: false};
	}
}

function usersUrlFor(accountId: string, domains: Domains, options: WizardOptions): string {
	const scheme = new URL(options.csdsUrl ?? 'https://api.liveperson.net').protocol;
	return `${scheme}//${domains['accountConfigReadOnly']}/api/account/${encodeURIComponent(accountId)}/configuration/le-users/users?v=4.0`;
}

function describe(credentials: Credentials): string {
	return `(app key ${redact(credentials.appKey)})`;
}

function isRejected(error: unknown): error is HttpError & {status: 401 | 403} {
	return error instanceof HttpError && (error.status === 401 || error.status === 403);
}

async function prove(deps: Dependencies, accountId: string, domains: Domains, credentials: Credentials, title: string): Promise<void> {
	await deps.ui.task(title, async () => deps.api.listUsers(accountId, domains, {oauth: credentials}, {signal: deps.signal}));
}

async function readStored(deps: Dependencies, accountId: string): Promise<Credentials | undefined> {
	const values: Partial<Record<(typeof credentialFields)[number], string>> = {};
	for (const name of credentialFields) {
		const value = await deps.secrets.get({profile: deps.profile, accountId, name});
		if (!value) {
			return undefined;
		}

		values[name] = value;
	}

	return values as Credentials;
}

async function ask(deps: Dependencies): Promise<Credentials | Back> {
	const values: Partial<Record<(typeof credentialFields)[number], string>> = {};
	for (const [index, {name, id, label}] of fieldPrompts.entries()) {
		const offerBack = deps.interactive && index === 0;
		const value = await deps.prompter.secret({
			id,
			message: offerBack ? `${label} (${backAnswer} to go back)` : label,
			validate: answer => (offerBack && answer.trim() === backAnswer) || validateCredentialValue(answer.trim(), label),
		});
		if (offerBack && value.trim() === backAnswer) {
			return back;
		}

		values[name] = value.trim();
	}

	return values as Credentials;
}
