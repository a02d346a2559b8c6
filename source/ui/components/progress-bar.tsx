import {Text} from 'ink';
import {formatPercent} from '../format.js';

export type ProgressBarProps = {
	/** 0..1 */
	readonly value: number;
	/** Cells of the bar, fixed so frames are the same on every terminal. */
	readonly width: number;
	readonly color?: string;
	/** @default true */
	readonly showPercent?: boolean;
};

/** A fixed-width bar (`███░░░░`) followed by the percent, right-aligned to four characters. */
export function ProgressBar({value, width, color, showPercent = true}: ProgressBarProps) {
	const clamped = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
	const filled = Math.floor(clamped * width);
	return (
		<Text>
			<Text color={color}>{'█'.repeat(filled)}</Text>
			<Text dimColor>{'░'.repeat(width - filled)}</Text>
			{showPercent ? ` ${formatPercent(clamped).padStart(4)}` : ''}
		</Text>
	);
}
