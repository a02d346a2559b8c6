import {completionScript, shells, type Shell} from '../cli/completion.js';
import {UsageError} from '../errors.js';
import {type RunCommand, result} from './command.js';

/** `lp-onboard completion bash|zsh|fish`: the shell's completion script on stdout. */
export const run: RunCommand = async (_f, args) => {
	const [shell, ...extra] = args;
	if (shell === undefined || extra.length > 0 || !(shells as readonly string[]).includes(shell)) {
		throw new UsageError(
			`Usage: lp-onboard completion ${shells.join('|')}${shell ? ` (not "${shell.slice(0, 20)}")` : ''}`,
			'For example: source <(lp-onboard completion bash), or see lp-onboard completion --help.',
		);
	}

	return result(completionScript(shell as Shell));
};
