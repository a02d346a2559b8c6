import {Text} from 'ink';
import {formatPercent} from '../format.js';

export type ProgressBarProps = {
	/** 0..1, as the task store clamps it. */
	readonly value: number;
	/** Cells of the bar, fixed so frames are the same on every terminal. */
	readonly width: number;
	readonly color?: string;
	/** @default true */
	readonly showPercent?: boolean;
};

/** A fixed-width bar (`███░░░░`) followed by the percent, right-aligned to four characters. */
export function ProgressBar({value, width, color, showPercent = true}: ProgressBarProps) {
	const filled = Math.floor(value * width);
	return (
		<Text>
			<Text color={color}>{'█'.repeat(filled)}</Text>
			<Text dimColor>{'░'.repeat(width - filled)}</Text>
			{showPercent ? ` ${formatPercent(value).padStart(4)}` : ''}
		</Text>
	);
}
