// --jq with the jq language itself: jq compiled to WebAssembly (jq-wasm), loaded only when --jq is given.
import type * as JqWasm from 'jq-wasm';
import {UsageError} from '../../errors.js';

/** jq-wasm is CommonJS: its functions are the module, or its default export once bundled. */
async function loadJq(): Promise<typeof JqWasm> {
	const loaded = await import('jq-wasm');
	return 'raw' in loaded && typeof loaded.raw === 'function' ? loaded : (loaded as unknown as {default: typeof loaded}).default;
}

const hint = 'The jq language: https://jqlang.org/manual/ (e.g. --jq \'.[].loginName\').';

function jqError(error: unknown): UsageError {
	const text = (error instanceof Error ? error.message : String(error)).split('\n').find(line => line.trim() !== '') ?? 'failed';
	// The place jq names is in the wrapped check expression, not the user's: the message alone says what is wrong.
	const message = text.replace(/^jq: (?:error: )?/, '').replace(/ at <top-level>, line \d+:?$/, '').replace(/ \(Unix shell quoting issues\?\)/, '');
	return new UsageError(`--jq: ${message.slice(0, 200)}`, hint);
}

/** Compiles the expression without running it, so a typo is a usage error before anything is sent. */
export async function checkJq(expression: string): Promise<void> {
	const jq = await loadJq();
	try {
		await jq.raw('null', `if false then (${expression}\n) else empty end`, ['-n']);
	} catch (error) {
		throw jqError(error);
	}
}

/** The expression's outputs over `body`, one a line, strings raw (as `gh api --jq` prints them). */
export async function runJq(body: unknown, expression: string): Promise<string> {
	const jq = await loadJq();
	try {
		return (await jq.raw(JSON.stringify(body ?? null), expression, ['-r'])).replace(/\n$/, '');
	} catch (error) {
		throw jqError(error);
	}
}
