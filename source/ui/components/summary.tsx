import {Box, Text} from 'ink';

export type SummaryProps = {
	readonly title: string;
	readonly lines?: readonly string[];
	/** @default 'success' */
	readonly tone?: 'success' | 'warning';
};

/** A closing block: "✔ title" and the lines of what was set up, indented under it. */
export function Summary({title, lines = [], tone = 'success'}: SummaryProps) {
	return (
		<Box flexDirection="column">
			<Text bold>
				<Text color={tone === 'success' ? 'green' : 'yellow'}>{tone === 'success' ? '✔' : '⚠'}</Text>
				{` ${title}`}
			</Text>
			{lines.map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index}>{`  ${line}`}</Text>
			))}
		</Box>
	);
}
