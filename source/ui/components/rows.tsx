import {Box, Text} from 'ink';
import {clean} from '../format.js';
import type {Row} from '../rows.js';

export function RowText({row}: {readonly row: Row}) {
	return (
		<Text wrap="truncate-end">
			{row.map((segment, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} color={segment.color} dimColor={segment.dim} bold={segment.bold}>{segment.text}</Text>
			))}
		</Text>
	);
}

export function Rows({rows}: {readonly rows: readonly Row[]}) {
	return (
		<Box flexDirection="column">
			{rows.map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<RowText key={index} row={row} />
			))}
		</Box>
	);
}

/**
Lines of text that word-wrap at the terminal's width. A wrapped line goes on under its own start: after its leading spaces
and after a list marker ("1. ", "- "), never back at column 0.
*/
export function Wrapped({lines, indent = 0, color, dim}: {readonly lines: readonly string[]; readonly indent?: number; readonly color?: string; readonly dim?: boolean}) {
	return (
		<Box flexDirection="column" paddingLeft={indent}>
			{lines.map((line, index) => {
				const [, lead = '', marker = '', rest = ''] = /^( *)((?:\d+\.|[-•*→#]) )?(.*)$/s.exec(clean(line)) ?? [];
				return (
					// eslint-disable-next-line react/no-array-index-key
					<Box key={index} paddingLeft={lead.length}>
						{marker ? <Box marginRight={1} flexShrink={0}><Text color={color} dimColor={dim}>{marker.trimEnd()}</Text></Box> : undefined}
						<Text wrap="wrap" color={color} dimColor={dim}>{rest || ' '}</Text>
					</Box>
				);
			})}
		</Box>
	);
}
