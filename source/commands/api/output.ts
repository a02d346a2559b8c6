// How `api` shows a request and its answer: JSON pretty and coloured at a terminal, the status line and headers with
// --include, curl-like `>`/`<` lines with --verbose, and every secret masked wherever a header is shown.
import {STATUS_CODES} from 'node:http';

export type HeaderList = Readonly<Record<string, string | readonly string[] | undefined>>;

const secretHeader = /authorization|cookie|token|secret|password|session|api-?key|signature/i;

/** A header's value as it may be shown: the scheme of an Authorization (OAuth, Bearer) and nothing of the secret. */
export function maskHeader(name: string, value: string): string {
	if (!secretHeader.test(name)) {
		return value;
	}

	const scheme = /^(OAuth|Bearer|Basic)\b/i.exec(value)?.[1];
	return scheme ? `${scheme} ****` : '****';
}

/** A URL as it may be shown: query values whose names look secret are masked. */
export function maskUrl(url: string): string {
	const parsed = new URL(url);
	for (const name of [...parsed.searchParams.keys()]) {
		if (secretHeader.test(name)) {
			parsed.searchParams.set(name, '****');
		}
	}

	return parsed.href;
}

function headerLines(headers: HeaderList, prefix: string, masked = true): string[] {
	return Object.entries(headers).flatMap(([name, value]) => {
		const values = value === undefined ? [] : (Array.isArray(value) ? value : [value]) as readonly string[];
		return values.map(one => `${prefix}${name}: ${masked ? maskHeader(name, one) : one}`);
	});
}

export const statusLine = (status: number) => `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();

/** The request as --verbose and --dry-run show it: method and URL, then the headers, masked unless already made safe. */
export function requestLines(method: string, url: string, headers: HeaderList, {prefix = '> ', masked = true} = {}): string[] {
	return [`${prefix}${method} ${maskUrl(url)}`, ...headerLines(headers, prefix, masked)];
}

/** The answer's status line and headers, masked (--include on stdout with no prefix, --verbose on stderr with `< `). */
export function responseLines(status: number, headers: HeaderList, prefix = ''): string[] {
	return [`${prefix}${statusLine(status)}`, ...headerLines(headers, prefix)];
}

const paint = (code: number) => (text: string) => `\u001B[${code}m${text}\u001B[0m`;
const key = paint(34);
const string = paint(32);
const literal = paint(36);
const punctuation = (text: string) => text;

/** JSON as `JSON.stringify(value, undefined, 2)` lays it out, with keys, strings and literals coloured (as gh does). */
export function colorJson(value: unknown, indent = ''): string {
	if (value === null || typeof value !== 'object') {
		return typeof value === 'string' ? string(JSON.stringify(value)) : literal(JSON.stringify(value) ?? 'null');
	}

	const inner = `${indent}  `;
	if (Array.isArray(value)) {
		return value.length === 0
			? punctuation('[]')
			: `[\n${value.map(item => `${inner}${colorJson(item, inner)}`).join(',\n')}\n${indent}]`;
	}

	const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
	return entries.length === 0
		? punctuation('{}')
		: `{\n${entries.map(([name, item]) => `${inner}${key(JSON.stringify(name))}: ${colorJson(item, inner)}`).join(',\n')}\n${indent}}`;
}

/** A body for stdout: pretty (and coloured, when allowed) at a terminal, one line for a pipe. */
export function formatBody(body: unknown, {terminal, color}: {terminal: boolean; color: boolean}): string {
	if (body === undefined) {
		return '';
	}

	if (typeof body === 'string') {
		return body;
	}

	if (!terminal) {
		return JSON.stringify(body);
	}

	return color ? colorJson(body) : JSON.stringify(body, undefined, 2);
}
