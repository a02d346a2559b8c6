import type {Prompter} from '../prompts/prompter.js';
import type {Ui} from './ui.js';

/**
Ink 6.8 and @inquirer/prompts cannot share stdin (architecture §3.5), so they take turns: before each question the UI's
live phase ends and Ink unmounts; the next thing the UI draws mounts it again.
*/
export function takingTurns(prompter: Prompter, ui: Pick<Ui, 'end'>): Prompter {
	return {
		async text(options) {
			await ui.end();
			return prompter.text(options);
		},
		async secret(options) {
			await ui.end();
			return prompter.secret(options);
		},
		async confirm(options) {
			await ui.end();
			return prompter.confirm(options);
		},
		async select(options) {
			await ui.end();
			return prompter.select(options);
		},
	};
}
