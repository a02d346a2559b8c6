import type {Dependencies} from './types.js';
import type {StepId} from './steps.js';

export type ProfileState = NonNullable<Awaited<ReturnType<Dependencies['config']['load']>>['profiles'][string]>;
type ProfilePatch = Exclude<Parameters<Dependencies['config']['update']>[1], (current: never) => unknown>;

/** This run's profile from the config file (empty on the first run). */
export async function loadProfile({config, profile}: Pick<Dependencies, 'config' | 'profile'>): Promise<ProfileState> {
	const all = await config.load();
	return all.profiles[profile] ?? {};
}

export function isDone(state: ProfileState, step: StepId): boolean {
	return state.completedSteps?.includes(step) ?? false;
}

/** Records that `step` finished, together with what it learned, so the next run can skip it. */
export async function markDone(deps: Pick<Dependencies, 'config' | 'profile'>, step: StepId, patch: ProfilePatch = {}): Promise<void> {
	const state = await loadProfile(deps);
	const completed = new Set(state.completedSteps ?? []);
	completed.add(step);
	await deps.config.update(deps.profile, {...patch, completedSteps: [...completed]});
}

/**
What the wizard knows of its profile during one run: read once when the run starts, then kept current by `record`, so
the steps neither re-read the file nor each write it twice. Provisioning, which also runs on its own, reads for itself.
*/
export type WizardState = {
	readonly profile: ProfileState;
	/**
	Saves what a step learned in one write and, with `step`, that it finished (added to the steps done as the file has
	them, so a parallel run's progress is kept; a patch with its own `completedSteps` replaces them).
	*/
	record(patch: ProfilePatch, step?: StepId): Promise<void>;
};

export async function openWizardState(deps: Pick<Dependencies, 'config' | 'profile'>): Promise<WizardState> {
	let profile = await loadProfile(deps);
	return {
		get profile() {
			return profile;
		},
		async record(patch, step) {
			profile = await deps.config.update(deps.profile, current => ({
				...patch,
				...(step && !patch.completedSteps ? {completedSteps: [...new Set([...(current.completedSteps ?? []), step])]} : {}),
			}));
		},
	};
}
