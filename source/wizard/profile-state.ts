import type {Dependencies} from './types.js';
import type {StepId} from './steps.js';

export type ProfileState = NonNullable<Awaited<ReturnType<Dependencies['config']['load']>>['profiles'][string]>;
type ProfilePatch = Parameters<Dependencies['config']['update']>[1];

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
