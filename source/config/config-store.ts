import {UsageError} from '../errors.js';
import {readJson, serialized, writeJsonAtomic} from './json-file.js';

export type LoginMethod = 'api-key' | 'password';
export type StorageKind = 'keychain' | 'file' | 'env';

/** What lp-onboard remembers about one profile. Never secrets: those live in a `SecretStore`. */
export type ProfileConfig = {
	readonly accountId?: string;
	/** CSDS service name → host, and when it was fetched (epoch ms) so it can be refreshed. */
	readonly domains?: {readonly fetchedAt: number; readonly map: Readonly<Record<string, string>>};
	readonly botLoginName?: string;
	readonly loginMethod?: LoginMethod;
	readonly storage?: StorageKind;
	readonly completedSteps?: readonly string[];
	readonly csdsUrl?: string;
};

export type ConfigFile = {
	readonly version: 1;
	readonly profiles: Readonly<Record<string, ProfileConfig>>;
};

/** A change to a profile. Keys set to `undefined` are removed; keys left out are kept. */
export type ProfilePatch = {readonly [K in keyof ProfileConfig]?: ProfileConfig[K] | undefined};

export type ConfigStore = {
	readonly file: string;
	/** The whole file; an empty config when it does not exist yet. */
	load(): Promise<ConfigFile>;
	/** One profile, or `undefined` when it was never saved. */
	profile(name: string): Promise<ProfileConfig | undefined>;
	/** Read-modify-write of one profile (creating it when needed). Returns the profile as saved. */
	update(name: string, patch: ProfilePatch | ((current: ProfileConfig) => ProfilePatch)): Promise<ProfileConfig>;
	/** Removes a profile and returns what it held, or `undefined` when there was none. */
	removeProfile(name: string): Promise<ProfileConfig | undefined>;
};

const profileNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws a `UsageError` unless `name` is 1–64 letters, digits, `_` or `-` (it becomes part of keychain item names). */
export function validateProfileName(name: string): string {
	if (!profileNamePattern.test(name)) {
		throw new UsageError(
			`Invalid profile name ${JSON.stringify(name.slice(0, 80))}.`,
			'Use 1 to 64 letters, digits, "_" or "-", e.g. --profile staging.',
		);
	}

	return name;
}

export function emptyConfig(): ConfigFile {
	return {version: 1, profiles: {}};
}

/**
The non-secret state in `config.json`. Writes are atomic, and updates from this process run one after another, so none
is lost.
*/
export function createConfigStore(file: string): ConfigStore {
	const load = async (): Promise<ConfigFile> => parseConfig(await readJson(file), file);

	return {
		file,
		load,
		async profile(name) {
			validateProfileName(name);
			const config = await load();
			return Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
		},
		async update(name, patch) {
			validateProfileName(name);
			return serialized(file, async () => {
				const config = await load();
				const current = (Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined) ?? {};
				const changes = typeof patch === 'function' ? patch(current) : patch;
				const next = applyPatch(current, changes);
				await writeJsonAtomic(file, {...config, profiles: {...config.profiles, [name]: next}});
				return next;
			});
		},
		async removeProfile(name) {
			validateProfileName(name);
			return serialized(file, async () => {
				const config = await load();
				if (!Object.hasOwn(config.profiles, name)) {
					return undefined;
				}

				const {[name]: removed, ...profiles} = config.profiles;
				await writeJsonAtomic(file, {...config, profiles});
				return removed;
			});
		},
	};
}

function applyPatch(current: ProfileConfig, patch: ProfilePatch): ProfileConfig {
	const next: Record<string, unknown> = {...current};
	for (const [key, value] of Object.entries(patch)) {
		if (value === undefined) {
			delete next[key];
		} else {
			next[key] = value;
		}
	}

	return next as ProfileConfig;
}

function parseConfig(data: unknown, file: string): ConfigFile {
	if (data === undefined) {
		return emptyConfig();
	}

	const hint = `Fix or delete ${file}; lp-onboard recreates it on the next run.`;
	if (!isRecord(data) || !isRecord(data['profiles'])) {
		throw new UsageError(`${file} is not an lp-onboard config file.`, hint);
	}

	if (data['version'] !== 1) {
		throw new UsageError(
			`${file} has config version ${JSON.stringify(data['version'])}; this lp-onboard understands version 1.`,
			`Update lp-onboard, or delete ${file} to start over.`,
		);
	}

	for (const [name, profile] of Object.entries(data['profiles'])) {
		if (!isRecord(profile)) {
			throw new UsageError(`Profile ${JSON.stringify(name)} in ${file} is not an object.`, hint);
		}
	}

	return data as ConfigFile;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
