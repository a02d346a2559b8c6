// `api`'s request parts as `gh api` takes them: -f/-F fields (typed, nested with `key[sub]` and `key[]`), -H headers.
import {UsageError} from '../../errors.js';

/** Reads the text of `@FILE` (`@-` for stdin), bounded. */
export type ReadValue = (path: string, what: string) => Promise<string>;

export type Field = readonly [key: string, value: unknown];

/** -F's typing: true, false, null and numbers become JSON; anything else stays the string it was. */
export function typedValue(text: string): unknown {
	if (text === 'true' || text === 'false' || text === 'null') {
		return JSON.parse(text) as unknown;
	}

	return /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/.test(text) && Number.isSafeInteger(Math.trunc(Number(text))) ? Number(text) : text;
}

function split(option: string, given: string): [string, string] {
	const at = given.indexOf('=');
	if (at <= 0) {
		throw new UsageError(`${option} takes KEY=VALUE, not "${given.slice(0, 40)}".`, `For example: ${option} loginName=bot2.`);
	}

	return [given.slice(0, at), given.slice(at + 1)];
}

/** -f (strings) then -F (typed, `@FILE` read), in the order given within each. */
export async function collectFields(raw: readonly string[], typed: readonly string[], read: ReadValue): Promise<Field[]> {
	const fields: Field[] = raw.map(given => split('-f', given));
	for (const given of typed) {
		const [key, value] = split('-F', given);
		fields.push([key, value.startsWith('@') ? await read(value.slice(1), `-F ${key}`) : typedValue(value)]);
	}

	return fields;
}

/** `a`, `a[b]`, `a[]`, `a[b][]` as path segments; `''` appends to an array. */
function keyPath(key: string): string[] {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!match) {
		throw new UsageError(`"${key.slice(0, 40)}" is not a field name.`, 'Use name, name[key] or name[] (to append to an array).');
	}

	return [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map(part => part[1]!)];
}

/** The fields as one JSON object, `a[b]=1` nesting and `a[]=1` appending, as `gh api` builds its body. */
export function fieldsBody(fields: readonly Field[]): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const [key, value] of fields) {
		const path = keyPath(key);
		let target: Record<string, unknown> | unknown[] = body;
		for (const [index, segment] of path.entries()) {
			const last = index === path.length - 1;
			const next = last ? value : (path[index + 1] === '' ? [] : {});
			if (Array.isArray(target)) {
				// `a[]` appends (a named key inside an array appends a new object too).
				target.push(next);
				target = next as Record<string, unknown> | unknown[];
				continue;
			}

			if (last) {
				target[segment] = value;
			} else {
				target[segment] ??= next;
				target = target[segment] as Record<string, unknown> | unknown[];
			}
		}
	}

	return body;
}

/** The fields as query parameters on `url` (GET, or with --input), each value as text. */
export function withQuery(url: string, fields: readonly Field[]): string {
	if (fields.length === 0) {
		return url;
	}

	const parsed = new URL(url);
	for (const [key, value] of fields) {
		parsed.searchParams.append(key, typeof value === 'string' ? value : JSON.stringify(value));
	}

	return parsed.href;
}

const reserved = new Set(['authorization', 'host', 'content-length']);

/** -H 'Name: value' lines as headers (names in lower case); the credentials' Authorization is not replaceable. */
export function parseHeaders(lines: readonly string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const at = line.indexOf(':');
		const name = at > 0 ? line.slice(0, at).trim().toLowerCase() : '';
		if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) {
			throw new UsageError(`-H takes 'Name: value', not "${line.slice(0, 40)}".`, 'For example: -H \'Accept-Language: en-US\'.');
		}

		if (reserved.has(name)) {
			throw new UsageError(`-H cannot set ${name}.`, 'lp-onboard signs every request with the profile\'s credentials and sets the host and length itself.');
		}

		headers[name] = line.slice(at + 1).trim();
	}

	return headers;
}
