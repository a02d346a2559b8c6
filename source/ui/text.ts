import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter('en', {granularity: 'grapheme'});

/** Columns `text` takes in a terminal (wide CJK and emoji count 2, combining marks 0). */
export function columns(text: string): number {
	return stringWidth(text);
}

/** `text` cut to at most `width` columns, ending in "…" when it was cut. */
export function fit(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (stringWidth(text) <= width) {
		return text;
	}

	let result = '';
	let used = 0;
	for (const {segment} of graphemes.segment(text)) {
		const cells = stringWidth(segment);
		if (used + cells > width - 1) {
			break;
		}

		result += segment;
		used += cells;
	}

	return `${result}…`;
}

/** `text` fitted to `width` columns and padded with spaces to exactly that many. */
export function fitPad(text: string, width: number): string {
	const fitted = fit(text, width);
	return fitted + ' '.repeat(Math.max(0, width - stringWidth(fitted)));
}

/**
`text` in lines of at most `width` columns, broken between words; a word longer than a whole line (a URL) is cut at the
edge, as a terminal would.
*/
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line === '' ? word : `${line} ${word}`;
		if (stringWidth(candidate) <= width || line === '') {
			line = candidate;
		} else {
			lines.push(line);
			line = word;
		}

		while (stringWidth(line) > width) {
			const head = fit(line, width + 1).slice(0, -1);
			lines.push(head);
			line = line.slice(head.length);
		}
	}

	lines.push(line);
	return lines;
}

/** A shell command's words: split at spaces outside quotes, so a quoted path stays one word. */
function shellWords(command: string): string[] {
	return command.match(/(?:'[^']*'|"(?:\\.|[^"\\])*"|[^\s'"])+/g) ?? [];
}

/**
A shell command in lines of at most `width` columns, broken only between words, every line but the last ending in a ` \`
continuation (the next indented by two), so the block still pastes. A word longer than a line stays whole, for the
terminal to soft-wrap: copying it gives it back unbroken.
*/
export function shellLines(command: string, width: number): string[] {
	if (columns(command) <= width) {
		return [command];
	}

	const words = shellWords(command);
	const lines: string[] = [];
	for (const [index, word] of words.entries()) {
		// A line that more words follow ends in " \": room for it is kept.
		const reserve = index < words.length - 1 ? 2 : 0;
		const last = lines.at(-1);
		if (last !== undefined && columns(`${last} ${word}`) + reserve <= width) {
			lines[lines.length - 1] = `${last} ${word}`;
		} else {
			lines.push(last === undefined ? word : `  ${word}`);
		}
	}

	return lines.map((line, index) => (index < lines.length - 1 ? `${line} \\` : line));
}

/** "lp-onboard status  # what is set up": a command and its comment, as a summary gives a command to paste. */
export function commandAndComment(line: string): {lead: string; command: string; comment: string} | undefined {
	const [, lead = '', command = '', comment = ''] = /^(\s*)(\S.*?)\s{2,}# (.*)$/.exec(line) ?? [];
	return command ? {lead, command, comment} : undefined;
}
