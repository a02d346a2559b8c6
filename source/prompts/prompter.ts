import {clientEnv, clientFields, clientPrompts, credentialEnv, credentialFields, credentialPrompts, type CredentialPrompt} from '../liveperson/credentials.js';

/**
Every question the tool can ask. Each id maps to a flag and an env var (see `promptSources`), so every prompt can be
answered without a terminal.
*/
export type PromptId =
	| 'account-id'
	| 'auth-method'
	| 'client-id'
	| 'client-secret'
	| 'app-key'
	| 'app-secret'
	| 'access-token'
	| 'access-token-secret'
	| 'bot-login-name'
	| 'login-method'
	| 'username'
	| 'password'
	| 'storage'
	| 'confirm-provision'
	| 'sandbox-demo'
	| 'sandbox-admin'
	| 'functions-ui'
	| 'functions-ui-done'
	| 'allow-bot-key';

export const promptSources: Record<PromptId, {
	readonly flag?: string;
	readonly env?: string;
	readonly secret?: boolean;
}> = {
	'account-id': {flag: '--account', env: 'LP_ACCOUNT_ID'},
	'auth-method': {flag: '--auth-method', env: 'LP_AUTH_METHOD'},
	...Object.fromEntries([
		...clientFields.map(field => [clientPrompts[field], {env: clientEnv[field], secret: true}]),
		...credentialFields.map(field => [credentialPrompts[field], {env: credentialEnv[field], secret: true}]),
	]) as Record<CredentialPrompt, {env: string; secret: true}>,
	'bot-login-name': {flag: '--bot-name', env: 'LP_BOT_NAME'},
	'login-method': {flag: '--login-method', env: 'LP_LOGIN_METHOD'},
	username: {flag: '--username', env: 'LP_USERNAME'},
	password: {env: 'LP_PASSWORD', secret: true},
	storage: {flag: '--insecure-storage'},
	'confirm-provision': {flag: '--yes', env: 'LP_YES'},
	'allow-bot-key': {flag: '--yes', env: 'LP_YES'},
	'sandbox-demo': {flag: '--demo', env: 'LP_SANDBOX_DEMO'},
	'sandbox-admin': {flag: '--demo', env: 'LP_SANDBOX_DEMO'},
	// Only a person at the Functions UI can answer these; without a terminal, provisioning reports what the UI needs
	// instead.
	'functions-ui': {},
	'functions-ui-done': {},
};

export type Choice<T extends string> = {
	readonly value: T;
	readonly name: string;
	readonly description?: string;
	/** Other values a flag or an environment variable may give for this choice (a newer or an older name). */
	readonly aliases?: readonly string[];
};

export type Prompter = {
	text(options: {
		id: PromptId;
		message: string;
		default?: string;
		validate?: (value: string) => true | string;
	}): Promise<string>;
	/** Masked input. */
	secret(options: {id: PromptId; message: string; validate?: (value: string) => true | string}): Promise<string>;
	confirm(options: {id: PromptId; message: string; default?: boolean}): Promise<boolean>;
	select<T extends string>(options: {
		id: PromptId;
		message: string;
		choices: ReadonlyArray<Choice<T>>;
		default?: T;
	}): Promise<T>;
	/**
	The answer a flag or env var gives to `id` before anything is asked, if one does and it was not used yet. Lets a step
	tell "the user named another account" from "nothing was given" without a second route for the value.
	*/
	preset?(id: PromptId): string | undefined;
};
