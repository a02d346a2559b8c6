import {Box, Text} from 'ink';
import {clean} from '../format.js';
import type {Row} from '../rows.js';
import {wrapWords} from '../text.js';

export function RowText({row}: {readonly row: Row}) {
	return (
		<Text wrap="truncate-end">
			{row.map((segment, index) => (
				<Text key={index} color={segment.color} dimColor={segment.dim} bold={segment.bold}>{segment.text}</Text>
			))}
		</Text>
	);
}

export function Rows({rows}: {readonly rows: readonly Row[]}) {
	return (
		<Box flexDirection="column">
			{rows.map((row, index) => (
				<RowText key={index} row={row} />
			))}
		</Box>
	);
}

/**
Lines of text word-wrapped to `width` columns. A wrapped line goes on under its own start: after its leading spaces and
after a list marker ("1. ", "- ") or an aligned label ("API key:   "), never back at column 0.
*/
export function Wrapped({lines, width, indent = 0, color, dim}: {
	readonly lines: readonly string[];
	readonly width: number;
	readonly indent?: number;
	readonly color?: string;
	readonly dim?: boolean;
}) {
	const rows = lines.flatMap(line => {
		// A list marker, or the label of an aligned "Label:   value" line, is what a wrapped line goes on under.
		const [, lead = '', marker = '', rest = ''] = /^( *)((?:\d+\.|[-•*→#]) |[^ :][^:]*: {2,})?(.*)$/s.exec(clean(line)) ?? [];
		const hang = ' '.repeat(indent + lead.length + marker.length);
		return wrapWords(rest, Math.max(10, width - hang.length)).map((text, index) => (index === 0 ? `${' '.repeat(indent)}${lead}${marker}` : hang) + text);
	});
	return (
		<Box flexDirection="column">
			{rows.map((row, index) => (
				<Text key={index} color={color} dimColor={dim}>{row || ' '}</Text>
			))}
		</Box>
	);
}
