import {CancelledError} from '../errors.js';
import type {Prompter} from './prompter.js';

export type InquirerPrompterOptions = {
	/** Where keystrokes come from: the terminal's stdin, or a fake stream in tests. */
	readonly input: NodeJS.ReadableStream;
	/** Where prompts are drawn. cli.tsx passes stderr, so stdout keeps only results. */
	readonly output: NodeJS.WritableStream;
	/** Aborting it (Ctrl-C in an Ink phase, a timeout) closes the open prompt with a `CancelledError`. */
	readonly signal?: AbortSignal;
};

/** Names of the errors @inquirer/prompts throws when the user or the signal ends a prompt without an answer. */
const cancelNames = new Set(['ExitPromptError', 'AbortPromptError', 'CancelPromptError']);

/**
The interactive `Prompter`, on @inquirer/prompts. Secrets are masked with `*`. A prompt closed by Ctrl-C, by the end of
input, or by the signal rejects with `CancelledError`, which cli.tsx maps to exit code 130.
*/
export function createInquirerPrompter({input: inputStream, output, signal}: InquirerPrompterOptions): Prompter {
	const context = {input: inputStream, output, ...(signal ? {signal} : {})};

	// Loaded at the first question, not at start-up: the wizard's first frame does not wait for it.
	const ask = async <T>(run: (prompts: typeof import('@inquirer/prompts')) => Promise<T>): Promise<T> => {
		if (signal?.aborted) {
			throw new CancelledError();
		}

		const prompts = await import('@inquirer/prompts');
		try {
			return await run(prompts);
		} catch (error) {
			if (error instanceof Error && cancelNames.has(error.name)) {
				throw new CancelledError();
			}

			throw error;
		}
	};

	return {
		async text({message, default: defaultValue, validate}) {
			return ask(async ({input}) =>
				input({message, ...(defaultValue === undefined ? {} : {default: defaultValue}), ...(validate ? {validate} : {})}, context),
			);
		},
		async secret({message, validate}) {
			// `toggleMask: false` drops password's Ctrl-T "toggle visibility": a revealed secret would stay in the
			// terminal's scrollback and in screen recordings of the onboarding.
			return ask(async ({password}) => password({message, mask: '*', toggleMask: false, ...(validate ? {validate} : {})}, context));
		},
		async confirm({message, default: defaultValue}) {
			return ask(async ({confirm}) => confirm({message, ...(defaultValue === undefined ? {} : {default: defaultValue})}, context));
		},
		async select({message, choices, default: defaultValue}) {
			return ask(async ({select}) =>
				select(
					{
						message,
						choices: choices.map(({value, name, description}) => ({value, name, ...(description ? {description} : {})})),
						...(defaultValue === undefined ? {} : {default: defaultValue}),
					},
					context,
				),
			);
		},
	};
}
