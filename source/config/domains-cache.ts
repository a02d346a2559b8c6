import type {ConfigStore, ProfileConfig} from './config-store.js';

/**
How long the cached CSDS answer is trusted: LivePerson's own tools cache CSDS answers for 600 s (docs/liveperson-api.md
§1).
*/
export const domainsMaxAgeMs = 10 * 60 * 1000;

type DomainMap = Readonly<Record<string, string>>;

/** The profile's cached domains while they are for `accountId` and younger than `domainsMaxAgeMs`, else undefined. */
export function freshDomains(
	profile: ProfileConfig | undefined,
	accountId: string,
	now: number,
): DomainMap | undefined {
	const cached = profile?.accountId === accountId ? profile.domains : undefined;
	return cached && now - cached.fetchedAt < domainsMaxAgeMs ? cached.map : undefined;
}

/** Saves a fresh CSDS answer as the profile's cache (restarting its ten minutes). */
export async function cacheDomains(
	config: ConfigStore,
	profile: string,
	domains: DomainMap,
	now: number,
): Promise<void> {
	await config.update(profile, {domains: {fetchedAt: now, map: domains}});
}
