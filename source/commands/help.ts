import {commands, type Command} from '../cli/commands.js';
import {commandHelp, globalHelp} from '../cli/help.js';
import {closest} from '../cli/suggest.js';
import {UsageError} from '../errors.js';
import {type RunCommand, result} from './command.js';

/** `lp-onboard help [COMMAND]`: the help page of every command, or of one. */
export const run: RunCommand = async (_f, args) => {
	const [name, ...extra] = args;
	if (name === undefined) {
		return result(globalHelp());
	}

	const named = commands.filter(command => command !== 'wizard');
	if (extra.length > 0 || !(named as readonly string[]).includes(name)) {
		const guess = closest(name, named);
		throw new UsageError(
			extra.length > 0 ? 'Usage: lp-onboard help [COMMAND]' : `No command "${name.slice(0, 40)}".${guess ? ` Did you mean ${guess}?` : ''}`,
			`Commands: ${named.join(', ')}.`,
		);
	}

	return result(commandHelp(name as Command));
};
