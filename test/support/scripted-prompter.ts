import assert from 'node:assert/strict';
import {MissingInputError} from '../../source/errors.js';
import {promptSources, type Choice, type PromptId, type Prompter} from '../../source/prompts/prompter.js';

export type Answer = string | boolean;

export type ScriptedPrompterOptions = {
	/**
	`terminal`: a prompt without a scripted answer fails the test. `no-terminal`: it throws `MissingInputError` naming the
	prompt's flag and env var, as the non-interactive prompter does.
	@default 'terminal'
	*/
	readonly mode?: 'terminal' | 'no-terminal';
};

/**
A prompter that answers from a script: each id has a queue of answers, used in order (so a re-asked question takes the next
one). Every answer must pass the prompt's own validation and a select answer must be one of its choices. `asked` lists the
ids in the order they were asked; `remaining()` lists answers never used.
*/
export function createScriptedPrompter(script: Partial<Record<PromptId, Answer | readonly Answer[]>>, options: ScriptedPrompterOptions = {}) {
	const queues = new Map<PromptId, Answer[]>(Object.entries(script).map(([id, answers]) => [id as PromptId, Array.isArray(answers) ? [...answers] : [answers as Answer]]));
	const asked: PromptId[] = [];
	const messages: string[] = [];

	const next = (id: PromptId, message: string): Answer => {
		asked.push(id);
		messages.push(message);
		const answer = queues.get(id)?.shift();
		if (answer === undefined) {
			if (options.mode === 'no-terminal') {
				throw new MissingInputError(message, promptSources[id].flag, promptSources[id].env);
			}

			assert.fail(`Unexpected prompt "${id}" (${message}); asked so far: ${asked.join(', ')}`);
		}

		return answer;
	};

	const text = (id: PromptId, message: string, validate?: (value: string) => true | string): string => {
		const answer = next(id, message);
		assert.equal(typeof answer, 'string', `prompt "${id}" needs a string answer`);
		const valid = validate?.(answer as string) ?? true;
		assert.equal(valid, true, `scripted answer for "${id}" fails its validation: ${String(valid)}`);
		return answer as string;
	};

	const prompter: Prompter = {
		async text({id, message, validate, default: fallback}) {
			const answer = text(id, message, value => validate?.(value === '' && fallback !== undefined ? fallback : value) ?? true);
			return answer === '' && fallback !== undefined ? fallback : answer;
		},
		async secret({id, message, validate}) {
			return text(id, message, validate);
		},
		async confirm({id, message}) {
			const answer = next(id, message);
			assert.equal(typeof answer, 'boolean', `prompt "${id}" needs a boolean answer`);
			return answer as boolean;
		},
		async select<T extends string>({id, message, choices}: {id: PromptId; message: string; choices: ReadonlyArray<Choice<T>>; default?: T}): Promise<T> {
			const answer = next(id, message);
			assert.ok(choices.some(choice => choice.value === answer), `"${String(answer)}" is not a choice of "${id}": ${choices.map(choice => choice.value).join(', ')}`);
			return answer as T;
		},
	};

	return {
		prompter,
		asked,
		messages,
		remaining: () => [...queues].flatMap(([id, answers]) => answers.map(answer => `${id}=${String(answer)}`)),
	};
}
