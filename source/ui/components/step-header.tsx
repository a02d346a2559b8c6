import {Text} from 'ink';
import type {StepInfo} from '../ui.js';

export type StepHeaderProps = StepInfo;

/** "Step 2 of 5 · Service domains", with "(already done)" when a re-run skips it. */
export function StepHeader({index, total, title, done}: StepHeaderProps) {
	return (
		<Text>
			<Text bold color="cyan">{`Step ${index} of ${total}`}</Text>
			<Text bold>{` · ${title}`}</Text>
			{done ? <Text dimColor> (already done)</Text> : ''}
		</Text>
	);
}
