import type {Dependencies, WizardOptions} from './types.js';

type SetupOptions = Pick<WizardOptions, 'sandbox' | 'unsavedCsdsUrl'>;

/**
The flags that pick the same setup: `--sandbox` (the sandbox's own profiles and state), a `--csds-url` this run did not
save, `--profile` when not the default.
*/
export function setupFlags(profile: string, options: SetupOptions): string[] {
	return [
		...(options.sandbox ? ['--sandbox'] : []),
		...(options.unsavedCsdsUrl ? ['--csds-url', options.unsavedCsdsUrl] : []),
		...(profile === 'default' ? [] : ['--profile', profile]),
	];
}

/** A command of lp-onboard as the user pastes it: their own invocation, the words, and the flags of this setup. */
export function setupCommand({invocation, profile}: Pick<Dependencies, 'invocation' | 'profile'>, options: SetupOptions, ...words: string[]): string {
	return [invocation, ...words, ...setupFlags(profile, options)].join(' ');
}
