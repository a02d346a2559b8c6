import {styleText} from 'node:util';
import type * as Prompts from '@inquirer/prompts';
import {CancelledError} from '../errors.js';
import {columns, wrapWords} from '../ui/text.js';
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
@inquirer breaks a line too long for the terminal at its edge, mid-word ("(r" / "ecommended)"). The question is wrapped
between words first, continuing under itself, and so are the answer after it and a select's description.
*/
export function promptTheme(message: string, width: number) {
	const lines = wrapWords(message, width - 2);
	const last = columns(lines.at(-1) ?? '');
	return {
		style: {
			message: () => styleText('bold', lines.join('\n  ')),
			answer(text: string) {
				// As many words as fit after the question, the rest wrapped under it.
				const room = width - 2 - last - 1;
				const words = text.split(' ');
				let count = 0;
				while (count < words.length && columns(words.slice(0, count + 1).join(' ')) <= room) {
					count++;
				}

				const rest = words.slice(count).join(' ');
				const lines = [...(count > 0 ? [words.slice(0, count).join(' ')] : ['']), ...(rest ? wrapWords(rest, width - 2) : [])];
				return styleText('cyan', lines.join('\n  '));
			},
			// A select's description of the choice under the cursor: a long one (names, a path) wrapped between words too.
			description: (text: string) => styleText('cyan', text.split('\n').flatMap(line => wrapWords(line, width)).join('\n')),
		},
	};
}

/**
The interactive `Prompter`, on @inquirer/prompts. Secrets are hidden as they are typed, length included. A prompt closed
by Ctrl-C, by the end of input, or by the signal rejects with `CancelledError`, which cli.tsx maps to exit code 130.
*/
export function createInquirerPrompter({input: inputStream, output, signal}: InquirerPrompterOptions): Prompter {
	const context = {input: inputStream, output, ...(signal ? {signal} : {})};
	const theme = (message: string) => promptTheme(
		message,
		Math.max(20, (output as Partial<NodeJS.WriteStream>).columns || 80),
	);

	// Loaded at the first question, not at start-up: the wizard's first frame does not wait for it.
	const ask = async <T>(run: (prompts: typeof Prompts) => Promise<T>): Promise<T> => {
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
				input(
					{
						message,
						theme: theme(message),
						...(defaultValue === undefined ? {} : {default: defaultValue}),
						...(validate ? {validate} : {}),
					},
					context,
				),
			);
		},
		async secret({message, validate}) {
			// No mask character: one `*` per key typed would tell a screen recording how long the secret is. `toggleMask:
			// false` drops Ctrl-T "toggle visibility": a revealed secret would stay in the terminal's scrollback.
			const hidden = {...theme(message), style: {...theme(message).style, maskedText: '[hidden as you type]'}};
			return ask(async ({password}) => password(
				{message, theme: hidden, mask: false, toggleMask: false, ...(validate ? {validate} : {})},
				context,
			));
		},
		async confirm({message, default: defaultValue}) {
			return ask(async ({confirm}) => confirm(
				{message, theme: theme(message), ...(defaultValue === undefined ? {} : {default: defaultValue})},
				context,
			));
		},
		async select({message, choices, default: defaultValue}) {
			return ask(async ({select}) =>
				select(
					{
						message,
						theme: theme(message),
						choices: choices.map(({value, name, description}) => ({value, name, ...(description ? {description} : {})})),
						...(defaultValue === undefined ? {} : {default: defaultValue}),
					},
					context,
				),
			);
		},
	};
}
