import {MissingInputError} from '../errors.js';
import type {Prompter} from './prompter.js';

/**
Answers from `preset` (flags, env, --stdin) when it has an answer, and asks `fallback` (the terminal) only when it has none:
every prompt keeps working from its flag or env var even at a terminal. A preset answer that is invalid stays an error.
*/
export function createFirstAnswerPrompter(preset: Prompter, fallback: Prompter): Prompter {
	const either = async <T>(first: () => Promise<T>, second: () => Promise<T>): Promise<T> => {
		try {
			return await first();
		} catch (error) {
			if (error instanceof MissingInputError) {
				return second();
			}

			throw error;
		}
	};

	return {
		text: async options => either(async () => preset.text(options), async () => fallback.text(options)),
		secret: async options => either(async () => preset.secret(options), async () => fallback.secret(options)),
		confirm: async options => either(async () => preset.confirm(options), async () => fallback.confirm(options)),
		select: async options => either(async () => preset.select(options), async () => fallback.select(options)),
	};
}
