import {UsageError} from '../errors.js';
import {allCredentialEnv, type CredentialEnv} from '../liveperson/credentials.js';

export type StdinSecretKey = CredentialEnv | 'LP_PASSWORD';
export const stdinSecretKeys: readonly StdinSecretKey[] = [...allCredentialEnv, 'LP_PASSWORD'];
export type StdinSecrets = Partial<Record<StdinSecretKey, string>>;

/**
Parses `--stdin` input: `KEY=VALUE` lines with the same names as the env vars, so the result can be laid over the
environment given to `createFlagPrompter`. Blank lines and `#` comments are skipped; one pair of matching quotes around
a value is removed. Errors name the line number and the key, never the value.

@example
```
parseSecretsFromStdin('# from the console\nLP_APP_KEY=abc\nLP_APP_SECRET="d e f"\n');
//=> {LP_APP_KEY: 'abc', LP_APP_SECRET: 'd e f'}
```
*/
export function parseSecretsFromStdin(text: string): StdinSecrets {
	const secrets: StdinSecrets = {};
	const seenOn = new Map<string, number>();
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	for (const [index, line] of lines.entries()) {
		const number = index + 1;
		const trimmed = line.trim();
		if (trimmed === '' || trimmed.startsWith('#')) {
			continue;
		}

		const equals = trimmed.indexOf('=');
		if (equals === -1) {
			throw new UsageError(`Line ${number} of stdin is not KEY=VALUE.`, stdinHint);
		}

		const key = trimmed.slice(0, equals).trim().replace(/^export\s+/, '');
		if (!isStdinSecretKey(key)) {
			// Name the key only when it is clearly a misspelt name: a pasted secret can look like `AbC123=`.
			const shown = /^LP_[A-Z\d_]{1,40}$/.test(key) ? ` ${key}` : '';
			throw new UsageError(`Line ${number} of stdin has an unknown key${shown}.`, stdinHint);
		}

		const previous = seenOn.get(key);
		if (previous !== undefined) {
			throw new UsageError(`${key} appears twice on stdin (lines ${previous} and ${number}).`, stdinHint);
		}

		const value = unquote(trimmed.slice(equals + 1).trim());
		if (value === '') {
			throw new UsageError(`${key} on line ${number} of stdin is empty.`, stdinHint);
		}

		seenOn.set(key, number);
		secrets[key] = value;
	}

	return secrets;
}

const stdinHint = `Pipe KEY=VALUE lines; the keys are ${stdinSecretKeys.join(', ')}. Blank lines and # comments are allowed.`;

function isStdinSecretKey(key: string): key is StdinSecretKey {
	return (stdinSecretKeys as readonly string[]).includes(key);
}

function unquote(value: string): string {
	const first = value[0];
	return value.length >= 2 && (first === '"' || first === '\'') && value.endsWith(first) ? value.slice(1, -1) : value;
}
