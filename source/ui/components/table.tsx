import {Box, Text} from 'ink';

export type TableProps = {
	readonly rows: ReadonlyArray<readonly [string, string]>;
	readonly headers?: readonly [string, string];
};

/** Two columns, the first padded to its widest cell. */
export function Table({rows, headers}: TableProps) {
	const width = Math.max(0, ...[...rows, ...(headers ? [headers] : [])].map(([key]) => key.length));
	return (
		<Box flexDirection="column">
			{headers ? <Text bold>{`${headers[0].padEnd(width)}  ${headers[1]}`}</Text> : undefined}
			{rows.map(([key, value], index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index}>
					<Text dimColor>{key.padEnd(width)}</Text>
					{`  ${value}`}
				</Text>
			))}
		</Box>
	);
}
