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
