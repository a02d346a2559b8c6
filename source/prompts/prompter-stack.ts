import {MissingInputError} from '../errors.js';
import type {Env} from '../environment.js';
import {createFlagPrompter, type FlagAnswers} from './flag-prompter.js';
import type {PromptId, Prompter} from './prompter.js';

/** Answers given before any question: flags by prompt id, and extra env-like values (the sandbox's demo key). */
export type PresetAnswers = Readonly<Record<string, string | undefined>>;

export type PrompterStackOptions = {
	/** Flag values by prompt id, from the parsed command line. */
	readonly answers: FlagAnswers;
	/** The environment (with `--stdin` values and any preset answers on top). */
	readonly env: Env;
	/** The terminal prompter; undefined when nobody is at a terminal. */
	readonly terminal: Prompter | undefined;
};

/**
The one prompter every command uses, so each answer has one route: flag → env → the caller's default (the stored value)
→ the terminal. Without a terminal, a missing answer is a `MissingInputError` naming the flag and env var. At a terminal
a flag or env answer is used once per prompt id: when LivePerson rejects it and the step asks again, the person is
asked, instead of the same value coming back in a loop.
*/
export function createPrompter({answers, env, terminal}: PrompterStackOptions): Prompter {
	if (!terminal) {
		return createFlagPrompter(answers, env);
	}

	const preset = createFlagPrompter(answers, env, {useDefaults: false});
	const used = new Set<PromptId>();
	const first = async <T>(id: PromptId, fromPreset: () => Promise<T>, fromTerminal: () => Promise<T>): Promise<T> => {
		if (used.has(id)) {
			return fromTerminal();
		}

		try {
			const answer = await fromPreset();
			used.add(id);
			return answer;
		} catch (error) {
			if (error instanceof MissingInputError) {
				return fromTerminal();
			}

			throw error;
		}
	};

	return {
		preset: id => (used.has(id) ? undefined : preset.preset?.(id)),
		text: async options => first(options.id, async () => preset.text(options), async () => terminal.text(options)),
		secret: async options => first(options.id, async () => preset.secret(options), async () => terminal.secret(options)),
		confirm: async options => first(
			options.id,
			async () => preset.confirm(options),
			async () => terminal.confirm(options),
		),
		select: async options => first(options.id, async () => preset.select(options), async () => terminal.select(options)),
	};
}
