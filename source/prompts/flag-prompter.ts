import {MissingInputError, UsageError} from '../errors.js';
import {type PromptId, type Prompter, promptSources} from './prompter.js';

/** Flag values by prompt id, as parsed by cli.tsx (`--account 123` → `{'account-id': '123'}`). */
export type FlagAnswers = Partial<Record<PromptId, string>>;

const truthy = new Set(['true', '1', 'yes', 'y']);
const falsy = new Set(['false', '0', 'no', 'n']);

/**
The `Prompter` for runs without a terminal. Each prompt is answered by its flag value, then by its env var (see
`promptSources`; an empty env var counts as unset). `text` and `select` fall back to their `default`; secrets and
confirmations never do, so nothing is provisioned without an explicit `--yes`. With `useDefaults: false` (in front of an
interactive prompter) defaults are left to the prompt that shows them. With no answer the prompt throws
`MissingInputError` naming the flag and env var; an answer the prompt would refuse throws `UsageError`.
*/
export function createFlagPrompter(
	answers: FlagAnswers,
	env: Readonly<Record<string, string | undefined>>,
	{useDefaults = true}: {useDefaults?: boolean} = {},
): Prompter {
	const lookup = (id: PromptId): {value: string; from: string} | undefined => {
		const source = promptSources[id];
		const flagValue = answers[id];
		if (flagValue !== undefined) {
			return {value: flagValue, from: source.flag ?? 'the given value'};
		}

		const envValue = source.env ? env[source.env] : undefined;
		if (source.env && envValue !== undefined && envValue !== '') {
			return {value: envValue, from: source.env};
		}

		return undefined;
	};

	const missing = (id: PromptId, message: string): MissingInputError =>
		new MissingInputError(describe(message), promptSources[id].flag, promptSources[id].env);

	const validated = (
		id: PromptId,
		answer: {value: string; from: string},
		validate: ((value: string) => true | string) | undefined,
	) => {
		const verdict = validate?.(answer.value) ?? true;
		if (verdict !== true) {
			// Never echo the value: it may be a secret.
			throw new UsageError(`Invalid value in ${answer.from}: ${verdict}`, hintFor(id));
		}

		return answer.value;
	};

	return {
		preset: id => lookup(id)?.value,
		async text({id, message, default: defaultValue, validate}) {
			const answer = lookup(id) ?? (defaultValue === undefined || !useDefaults ? undefined : {value: defaultValue, from: 'the default'});
			if (!answer) {
				throw missing(id, message);
			}

			return validated(id, answer, validate);
		},
		async secret({id, message, validate}) {
			const answer = lookup(id);
			if (!answer) {
				throw missing(id, message);
			}

			return validated(id, answer, validate);
		},
		async confirm({id, message}) {
			const answer = lookup(id);
			if (!answer) {
				throw missing(id, message);
			}

			const normalized = answer.value.trim().toLowerCase();
			if (truthy.has(normalized)) {
				return true;
			}

			if (falsy.has(normalized)) {
				return false;
			}

			throw new UsageError(
				`Invalid value in ${answer.from}: ${JSON.stringify(answer.value)} is not yes or no.`,
				'Use true, false, 1, 0, yes or no.',
			);
		},
		async select({id, message, choices, default: defaultValue}) {
			const answer = lookup(id);
			const value = answer?.value ?? (useDefaults ? defaultValue : undefined);
			if (value === undefined) {
				throw missing(id, message);
			}

			const choice = choices.find(candidate => candidate.value === value || candidate.aliases?.includes(value));
			if (!choice) {
				throw new UsageError(
					`Invalid value in ${answer?.from ?? 'the default'}: ${JSON.stringify(value)}.`,
					`Use one of: ${choices.flatMap(candidate => [...(candidate.aliases ?? []), candidate.value]).join(', ')}.`,
				);
			}

			return choice.value;
		},
	};
}

function hintFor(id: PromptId): string {
	const {flag, env} = promptSources[id];
	const sources = [flag, env].filter(Boolean).join(' or ');
	return sources ? `Correct ${sources} and run again.` : 'Correct the value and run again.';
}

// The error needs a noun: "LivePerson account id (leave empty to …)" → "LivePerson account id"; a question becomes
// 'an answer to "Provision LivePerson Functions on account 12345678 now?"'. Parenthesised hints go wherever they stand.
function describe(message: string): string {
	const bare = message.replaceAll(/\s*\([^)]*\)/g, '').trim();
	if (bare.endsWith('?')) {
		return `an answer to "${bare}"`;
	}

	return bare.replace(/:\s*$/, '').trim() || 'a value';
}
