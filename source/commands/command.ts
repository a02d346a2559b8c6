import {type ExitCode, exitCodes} from '../errors.js';
import type {Factory} from '../factory.js';

/**
What a command hands back; `cli.tsx` renders it in one place: `json` with `--json`, else `text`, on stdout. Progress and
questions went to stderr while it ran.
*/
export type CommandResult = {
	readonly exitCode: ExitCode;
	readonly text?: string;
	readonly json?: unknown;
};

/** Every command module exports `run` of this shape, so each is testable in-process with a factory of fakes. */
export type RunCommand = (f: Factory, args: readonly string[]) => Promise<CommandResult>;

export function result(text: string | readonly string[] | undefined, json?: unknown, exitCode: ExitCode = exitCodes.ok): CommandResult {
	return {exitCode, text: typeof text === 'string' || text === undefined ? text : text.join('\n'), json};
}

/**
The account id by the one route every command shares: --account → LP_ACCOUNT_ID → the profile's → (with `--sandbox
--demo`, the demo account) → the prompt.
*/
export async function resolveAccountId(f: Factory): Promise<string> {
	const [{validateAccountId}, prompter, profile] = await Promise.all([import('../account-id.js'), f.prompter(), f.profile()]);
	// The stored account answers without a question; a flag or LP_ACCOUNT_ID naming another one wins.
	const given = prompter.preset?.('account-id');
	if (profile?.accountId && given === undefined) {
		return profile.accountId;
	}

	// `--sandbox --demo` without an account: the sandbox's demo account, as the wizard takes it.
	const demo = f.flags.demo && given === undefined ? (await f.sandbox())?.demo.accounts['12345678'].accountId : undefined;
	if (demo) {
		return demo;
	}

	return prompter.text({id: 'account-id', message: 'LivePerson account id', validate: validateAccountId});
}
