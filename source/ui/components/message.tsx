import {Text} from 'ink';

export type MessageProps = {
	readonly message: string;
	/** @default 'info' */
	readonly tone?: 'info' | 'warning';
};

export function Message({message, tone = 'info'}: MessageProps) {
	return tone === 'warning' ? (
		<Text>
			<Text color="yellow">⚠</Text>
			{` ${message}`}
		</Text>
	) : (
		<Text>{message}</Text>
	);
}
