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

export function result(
	text: string | readonly string[] | undefined,
	json?: unknown,
	exitCode: ExitCode = exitCodes.ok,
): CommandResult {
	return {exitCode, text: typeof text === 'string' || text === undefined ? text : text.join('\n'), json};
}
