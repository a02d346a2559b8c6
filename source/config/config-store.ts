import {UsageError} from '../errors.js';
import {parseSecretAccount, type SecretIndex, type SecretKey} from '../secrets/secret-store.js';
import {exclusive, readJson, writeJsonAtomic} from './json-file.js';

export type LoginMethod = 'api-key' | 'password';
export type StorageKind = 'keychain' | 'file' | 'env';

/** What lp-onboard remembers about one profile. Never secrets: those live in a `SecretStore`. */
export type ProfileConfig = {
	readonly accountId?: string;
	/** CSDS service name → host, and when it was fetched (epoch ms) so it can be refreshed. */
	readonly domains?: {readonly fetchedAt: number; readonly map: Readonly<Record<string, string>>};
	readonly botLoginName?: string;
	readonly loginMethod?: LoginMethod;
	/** What the profile's credentials are: an OAuth 2.0 client, or a legacy OAuth 1.0 key. */
	readonly credentials?: 'oauth2' | 'oauth1';
	readonly storage?: StorageKind;
	readonly completedSteps?: readonly string[];
	readonly csdsUrl?: string;
	/** Set up against the embedded sandbox (`--sandbox`): its key and hosts mean nothing to LivePerson. */
	readonly sandbox?: boolean;
	/** Names (`ACCOUNT_ID/NAME`, never values) of the keychain items written for this profile: see `SecretIndex`. */
	readonly keychainItems?: readonly string[];
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

export type ConfigStoreOptions = {
	/** Told once per problem when parts of the file are of the wrong shape and are ignored. */
	readonly warn?: (message: string) => void;
};

/**
The non-secret state in `config.json`. Writes are atomic; every read-modify-write runs under the file's lock
(`config.json.lock`), so concurrent runs, in this process or others, never lose each other's changes.
*/
export function createConfigStore(file: string, options: ConfigStoreOptions = {}): ConfigStore {
	const warned = new Set<string>();
	const warn = (message: string) => {
		if (!warned.has(message)) {
			warned.add(message);
			options.warn?.(message);
		}
	};

	const load = async (): Promise<ConfigFile> => parseConfig(await readJson(file), file, warn);
	const change = async <T>(run: (config: ConfigFile) => Promise<T>): Promise<T> =>
		exclusive(file, async () => run(await load()));
	const save = async (config: ConfigFile) => writeJsonAtomic(file, config);

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
			return change(async config => {
				const current = (Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined) ?? {};
				const changes = typeof patch === 'function' ? patch(current) : patch;
				const next = applyPatch(current, changes);
				await save({...config, profiles: {...config.profiles, [name]: next}});
				return next;
			});
		},
		async removeProfile(name) {
			validateProfileName(name);
			return change(async config => {
				if (!Object.hasOwn(config.profiles, name)) {
					return undefined;
				}

				const {[name]: removed, ...profiles} = config.profiles;
				await save({...config, profiles});
				return removed;
			});
		},
	};
}

/** The keychain's `SecretIndex`, kept per profile in config.json (`keychainItems`). */
export function configSecretIndex(config: ConfigStore): SecretIndex {
	const item = (key: SecretKey) => `${key.accountId}/${key.name}`;
	return {
		async indexed(profile) {
			const {profiles} = await config.load();
			return Object.entries(profiles)
				.filter(([name]) => profile === undefined || name === profile)
				.flatMap(([name, state]) => (state.keychainItems ?? []).flatMap(item => parseSecretAccount(`${name}/${item}`) ?? []));
		},
		async add(key) {
			await config.update(key.profile, current =>
				current.keychainItems?.includes(item(key))
					? {}
					: {keychainItems: [...(current.keychainItems ?? []), item(key)].sort()});
		},
		async remove(key) {
			// Not through `update` when the profile is gone: forgetting an item must not bring its profile back.
			if ((await config.profile(key.profile))?.keychainItems?.includes(item(key))) {
				await config.update(key.profile, current => {
					const rest = (current.keychainItems ?? []).filter(name => name !== item(key));
					return {keychainItems: rest.length > 0 ? rest : undefined};
				});
			}
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

	return next;
}

/** The type each known profile field must have; anything else in a profile is kept as is. */
const profileFields: Record<keyof ProfileConfig, (value: unknown) => boolean> = {
	accountId: value => typeof value === 'string',
	domains: value => isRecord(value) && typeof value['fetchedAt'] === 'number' && isRecord(value['map'])
		&& Object.values(value['map']).every(host => typeof host === 'string'),
	botLoginName: value => typeof value === 'string',
	loginMethod: value => value === 'api-key' || value === 'password',
	credentials: value => value === 'oauth2' || value === 'oauth1',
	storage: value => value === 'keychain' || value === 'file' || value === 'env',
	completedSteps: value => isStringList(value),
	// Never a URL with a user name or password in it (older versions saved --csds-url as given).
	csdsUrl: value => typeof value === 'string' && !/^[a-z]+:\/\/[^/]*@/i.test(value),
	sandbox: value => typeof value === 'boolean',
	keychainItems: value => isStringList(value),
};

/**
Validates the file as it is read. A field of the wrong type (a hand edit, a newer or broken writer) is corrupt: it is
ignored with a warning, as if never saved, so the step it belongs to runs again; the rest of the profile stays usable.
*/
function parseConfig(data: unknown, file: string, warn: (message: string) => void): ConfigFile {
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

	const profiles: Record<string, ProfileConfig> = {};
	for (const [name, profile] of Object.entries(data['profiles'])) {
		if (!isRecord(profile)) {
			warn(`Ignoring profile ${JSON.stringify(name)} in ${file}: it is not an object.`);
			continue;
		}

		const valid: Record<string, unknown> = {};
		for (const [field, value] of Object.entries(profile)) {
			const check = Object.hasOwn(profileFields, field) ? profileFields[field as keyof ProfileConfig] : undefined;
			if (check && !check(value)) {
				warn(`Ignoring ${field} of profile ${JSON.stringify(name)} in ${file}: it is not of the right type.`);
			} else {
				valid[field] = value;
			}
		}

		profiles[name] = valid;
	}

	return {...data, version: 1, profiles};
}

function isStringList(value: unknown): value is string[] {
	return Array.isArray(value) && value.every(item => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
