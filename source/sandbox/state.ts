import type {FunctionsVersion} from '../liveperson/types.js';
import type {OAuth1Key} from '../liveperson/credentials.js';
import {
	type DemoClient, type DemoData, provisionedAllowlistServices, provisionedSecrets, type SandboxAgentGroup, type SandboxProfile,
	type SandboxSecretName, sandboxServices, sessionTtlMs,
} from './seed.js';

type SystemSecretName = SandboxSecretName;

/** V2 provisioning as the sandbox models it: none until the UI form starts it, then running for `infrastructureMs`. */
export type InfrastructureState = {readonly state: 'none' | 'running' | 'done'; readonly progress: number};

/** A user as the Users API stores it. `password` is the sandbox's stand-in for `passwordSh` and never leaves the server. */
export type StoredUser = {
	id: string;
	loginName: string;
	fullName: string;
	nickname: string;
	email: string;
	isEnabled: boolean;
	maxChats: number;
	profileIds: number[];
	userTypeId: number;
	isApiUser: boolean;
	allowedAppKeys?: string;
	isAdmin: boolean;
	password?: string;
	[field: string]: unknown;
};

export type StoredSession = {
	readonly accountId: string;
	readonly userId: string;
	readonly sessionId: string;
	readonly bearer: string;
	readonly csrf: string;
	expiresAt: number;
};

export type AccountState = {
	readonly accountId: string;
	readonly functionsVersion: FunctionsVersion;
	readonly users: StoredUser[];
	readonly apiKeys: OAuth1Key[];
	/** The account's OAuth 2.0 clients and their scopes (seed constants, not persisted). */
	readonly clients: readonly DemoClient[];
	/** False: the account is past OAuth 1.0's end of life and refuses keys and key logins. */
	readonly acceptsOAuth1: boolean;
	readonly profiles: readonly SandboxProfile[];
	readonly agentGroups: readonly SandboxAgentGroup[];
	featureActive: boolean;
	readonly systemSecrets: Map<SystemSecretName, {createdAt: string}>;
	readonly allowlist: Array<{id: number; domain: string; name: string}>;
	infrastructureStartedAt: number | undefined;
	revision: number;
	readonly requestCounts: Map<string, number>;
};

/** What `sandbox.state(accountId)` returns: a deep copy, safe to keep and compare. */
export type AccountStateSnapshot = {
	readonly accountId: string;
	readonly functionsVersion: FunctionsVersion;
	readonly users: ReadonlyArray<Readonly<Record<string, unknown>> & {readonly id: string; readonly loginName: string}>;
	readonly apiKeys: ReadonlyArray<{readonly appKey: string}>;
	readonly feature: {readonly active: boolean};
	readonly systemSecrets: readonly SystemSecretName[];
	readonly allowlist: readonly string[];
	readonly infrastructure: InfrastructureState;
	readonly sessions: number;
	/** Requests per route name (e.g. `login`, `users.create`, `functions.feature.put`), faulted ones included. */
	readonly requests: Readonly<Record<string, number>>;
};

export function baseUri(service: string, port: number, functionsVersion: FunctionsVersion): string {
	const label = service === 'faasGW' && functionsVersion === 2 ? 'fninvocations' : service.toLowerCase();
	return `va.${label}.sandbox.test:${port}`;
}

export function accountBaseUris(account: AccountState, port: number): Array<{service: string; account: string; baseURI: string}> {
	return sandboxServices.map(service => ({service, account: account.accountId, baseURI: baseUri(service, port, account.functionsVersion)}));
}

/** Seeds the accounts of one sandbox instance from the demo data. */
export function createAccounts(demo: DemoData, port: number, createdAt: string): Map<string, AccountState> {
	const accounts = new Map<string, AccountState>();
	for (const seed of Object.values(demo.accounts)) {
		const profileOf = (roleTypeId: number) => seed.profiles.find(profile => profile.roleTypeId === roleTypeId)!.id;
		const mainGroup = seed.agentGroups.find(group => group.parentGroupId === null)!.id;
		const account: AccountState = {
			accountId: seed.accountId,
			functionsVersion: seed.functionsVersion,
			users: seed.users.map(user => ({
				id: user.userId,
				loginName: user.loginName,
				fullName: user.loginName === 'admin' ? 'Sandbox Admin' : 'Sandbox Agent',
				nickname: user.loginName,
				email: `${user.loginName}@sandbox.test`,
				isEnabled: true,
				maxChats: 3,
				profileIds: [profileOf(user.isAdmin ? 1 : 2)],
				...(user.isAdmin ? {} : {memberOf: {agentGroupId: mainGroup}}),
				userTypeId: 1,
				isApiUser: false,
				isAdmin: user.isAdmin,
				password: user.password,
			})),
			apiKeys: [seed.apiKey],
			clients: [seed.client],
			acceptsOAuth1: seed.acceptsOAuth1,
			profiles: seed.profiles,
			agentGroups: seed.agentGroups,
			featureActive: false,
			systemSecrets: new Map(),
			allowlist: [],
			infrastructureStartedAt: undefined,
			revision: 1,
			requestCounts: new Map(),
		};
		if (seed.botLoginName) {
			account.users.push({
				id: `${seed.admin.userId.slice(0, 3)}0099`,
				loginName: seed.botLoginName,
				fullName: 'lp-onboard bot',
				nickname: seed.botLoginName,
				email: `${seed.botLoginName}@sandbox.test`,
				isEnabled: true,
				maxChats: 0,
				profileIds: [profileOf(2)],
				memberOf: {agentGroupId: mainGroup},
				userTypeId: 2,
				isApiUser: true,
				allowedAppKeys: seed.apiKey.appKey,
				isAdmin: false,
			});
		}

		if (seed.provisioned) {
			if (seed.functionsVersion === 1) {
				provisionV1(account, port, createdAt);
			} else {
				account.infrastructureStartedAt = Number.MIN_SAFE_INTEGER;
				settleV2(account, 0, 0, createdAt);
			}
		}

		accounts.set(account.accountId, account);
	}

	return accounts;
}

/**
What an admin's agreement to the terms of use does on V1 (the provisioning page): the feature, both default secrets, and the
default domains (the sandbox's own table), without duplicating what is already there.
*/
export function provisionV1(account: AccountState, port: number, createdAt: string): void {
	account.featureActive = true;
	for (const name of provisionedSecrets[1]) {
		if (!account.systemSecrets.has(name)) {
			account.systemSecrets.set(name, {createdAt});
		}
	}

	for (const service of provisionedAllowlistServices) {
		// Allowlist entries are FQDNs: the CSDS host without the sandbox's port.
		const domain = baseUri(service, port, 1).replace(/:\d+$/, '');
		if (!account.allowlist.some(entry => entry.domain.toLowerCase() === domain)) {
			account.allowlist.push({id: Math.max(0, ...account.allowlist.map(({id}) => id)) + 1, domain, name: domain});
		}
	}
}

/** V2: once the provisioning started from the UI page has run its time, the feature is active and the default secret stored. */
export function settleV2(account: AccountState, now: number, infrastructureMs: number, createdAt: string): void {
	if (account.functionsVersion === 2 && !account.featureActive && infrastructureState(account, now, infrastructureMs).state === 'done') {
		account.featureActive = true;
		for (const name of provisionedSecrets[2]) {
			account.systemSecrets.set(name, {createdAt});
		}
	}
}

export function infrastructureState(account: AccountState, now: number, infrastructureMs: number): InfrastructureState {
	if (account.infrastructureStartedAt === undefined) {
		return {state: 'none', progress: 0};
	}

	const elapsed = now - account.infrastructureStartedAt;
	if (elapsed >= infrastructureMs) {
		return {state: 'done', progress: 100};
	}

	return {state: 'running', progress: Math.max(0, Math.min(99, Math.floor((elapsed / infrastructureMs) * 100)))};
}

export function publicUser(user: StoredUser): Record<string, unknown> & {id: string; loginName: string} {
	const {password: _password, isAdmin: _isAdmin, ...rest} = user;
	return structuredClone(rest);
}

export function snapshot(account: AccountState, sessions: Iterable<StoredSession>, now: number, infrastructureMs: number): AccountStateSnapshot {
	let sessionCount = 0;
	for (const session of sessions) {
		if (session.accountId === account.accountId && session.expiresAt > now) {
			sessionCount++;
		}
	}

	return {
		accountId: account.accountId,
		functionsVersion: account.functionsVersion,
		users: account.users.map(user => publicUser(user)),
		apiKeys: account.apiKeys.map(({appKey}) => ({appKey})),
		feature: {active: account.featureActive || infrastructureState(account, now, infrastructureMs).state === 'done'},
		systemSecrets: account.functionsVersion === 2 && infrastructureState(account, now, infrastructureMs).state === 'done'
			? [...new Set([...account.systemSecrets.keys(), ...provisionedSecrets[2]])]
			: [...account.systemSecrets.keys()],
		allowlist: account.allowlist.map(({domain}) => domain),
		infrastructure: infrastructureState(account, now, infrastructureMs),
		sessions: sessionCount,
		requests: Object.fromEntries(account.requestCounts),
	};
}

export {sessionTtlMs};

/** What `stateFile` holds: every account's mutable state, the live sessions and the OAuth nonces still in their window. */
export type PersistedState = {
	readonly format: 1;
	readonly accounts: ReadonlyArray<{
		readonly accountId: string;
		readonly users: StoredUser[];
		readonly apiKeys: OAuth1Key[];
		readonly featureActive: boolean;
		readonly systemSecrets: Array<[SystemSecretName, {createdAt: string}]>;
		readonly allowlist: Array<{id: number; domain: string; name: string}>;
		readonly infrastructureStartedAt: number | null;
		readonly revision: number;
	}>;
	readonly sessions: StoredSession[];
	/** `consumerKey nonce` and when it may be forgotten (server ms). Absent in files written before nonces were kept. */
	readonly nonces?: Array<[string, number]>;
};

/** The engine parts a state file holds. */
export type PersistedParts = {
	readonly accounts: Map<string, AccountState>;
	readonly sessions: Map<string, StoredSession>;
	readonly nonces: Map<string, number>;
};

/** The state to save; sessions that expired by `now` and nonces forgettable by `serverNow` are left out. */
export function persistState(
	accounts: Map<string, AccountState>,
	sessions: Map<string, StoredSession>,
	nonces: Map<string, number> = new Map(),
	now = Number.NEGATIVE_INFINITY,
	serverNow = Number.NEGATIVE_INFINITY,
): PersistedState {
	return structuredClone({
		format: 1,
		accounts: [...accounts.values()].map(account => ({
			accountId: account.accountId,
			users: account.users,
			apiKeys: account.apiKeys,
			featureActive: account.featureActive,
			systemSecrets: [...account.systemSecrets],
			allowlist: account.allowlist,
			infrastructureStartedAt: account.infrastructureStartedAt ?? null,
			revision: account.revision,
		})),
		sessions: [...sessions.values()].filter(session => session.expiresAt > now),
		nonces: [...nonces].filter(([, forgetAt]) => forgetAt > serverNow),
	});
}

/**
Replaces the engine's state with what `persistState` saved, on the seeded accounts. Accounts the seed does not have are
ignored. Returns false (and changes nothing) when `data` is not a state this version wrote.
*/
export function restoreState(data: unknown, {accounts, sessions, nonces}: PersistedParts): boolean {
	const state = data as Partial<PersistedState> | undefined;
	if (typeof state !== 'object' || state === null || state.format !== 1 || !Array.isArray(state.accounts) || !Array.isArray(state.sessions)) {
		return false;
	}

	for (const saved of state.accounts) {
		const account = accounts.get(saved.accountId);
		if (!account) {
			continue;
		}

		account.users.splice(0, account.users.length, ...saved.users);
		account.apiKeys.splice(0, account.apiKeys.length, ...saved.apiKeys);
		account.featureActive = saved.featureActive;
		account.systemSecrets.clear();
		for (const [name, secret] of saved.systemSecrets) {
			account.systemSecrets.set(name, secret);
		}

		account.allowlist.splice(0, account.allowlist.length, ...saved.allowlist);
		account.infrastructureStartedAt = saved.infrastructureStartedAt ?? undefined;
		account.revision = saved.revision;
	}

	sessions.clear();
	for (const session of state.sessions) {
		if (accounts.has(session.accountId)) {
			sessions.set(session.bearer, session);
		}
	}

	nonces.clear();
	for (const [key, forgetAt] of Array.isArray(state.nonces) ? state.nonces : []) {
		nonces.set(key, forgetAt);
	}

	return true;
}
