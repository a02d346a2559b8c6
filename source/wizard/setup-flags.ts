import type {Dependencies, WizardOptions} from './types.js';

/** The flags that pick the same setup: `--sandbox` (the sandbox's own profiles and state), `--profile` when not the default. */
export function setupFlags(profile: string, options: Pick<WizardOptions, 'sandbox'>): string[] {
	return [...(options.sandbox ? ['--sandbox'] : []), ...(profile === 'default' ? [] : ['--profile', profile])];
}

/** A command of lp-onboard as the user pastes it: their own invocation, the words, and the flags of this setup. */
export function setupCommand({invocation, profile}: Pick<Dependencies, 'invocation' | 'profile'>, options: Pick<WizardOptions, 'sandbox'>, ...words: string[]): string {
	return [invocation, ...words, ...setupFlags(profile, options)].join(' ');
}
