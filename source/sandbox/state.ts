import type {FunctionsVersion} from '../liveperson/types.js';
import type {OAuth1Key} from '../liveperson/credentials.js';
import type {NonceWindow} from './nonces.js';
import {
	type DemoClient,
	type DemoData,
	provisionedAllowlistServices,
	provisionedSecrets,
	type SandboxAgentGroup,
	type SandboxProfile,
	type SandboxSecretName, sandboxServices, sessionTtlMs,
} from './seed.js';

type SystemSecretName = SandboxSecretName;

/** V2 provisioning as the sandbox models it: none until the UI form starts it, then running for `infrastructureMs`. */
export type InfrastructureState = {readonly state: 'none' | 'running' | 'done'; readonly progress: number};

/**
A user as the Users API stores it. `password` is the sandbox's stand-in for `passwordSh` and never leaves the server.
*/
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

/** A skill as the Skills API stores it (its appendix's entity); a deleted one stays, `deleted: true`. */
export type StoredSkill = {
	id: number;
	name: string;
	deleted: boolean;
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
	readonly skills: StoredSkill[];
	/**
	The functions `GET /lambdas` lists (V1): one draft on the account that starts provisioned, none elsewhere. Read-only.
	*/
	readonly lambdas: readonly Record<string, unknown>[];
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

/**
The account's CSDS entries. Over TLS every service is `127.0.0.1:PORT`, a name the certificate carries and no client
needs to resolve; over plain http each has its own `*.sandbox.test` name (lp-onboard connects those to 127.0.0.1).
*/
export function accountBaseUris(
	account: AccountState,
	{port, tls}: {port: number; tls: boolean},
): Array<{service: string; account: string; baseURI: string}> {
	return sandboxServices.map(service => ({
		service,
		account: account.accountId,
		baseURI: tls ? `127.0.0.1:${port}` : baseUri(service, port, account.functionsVersion),
	}));
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
			clients: [seed.client, ...seed.otherClients],
			acceptsOAuth1: seed.acceptsOAuth1,
			profiles: seed.profiles,
			agentGroups: seed.agentGroups,
			featureActive: false,
			systemSecrets: new Map(),
			allowlist: [],
			skills: [seedSkill(mainGroup)],
			lambdas: seed.provisioned ? [exampleLambda(seed.admin.loginName, createdAt)] : [],
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
				// Either of the account's credentials logs it in: its OAuth 2.0 client (the default) or its legacy key.
				allowedAppKeys: `${seed.client.clientId},${seed.apiKey.appKey}`,
				isAdmin: false,
			});
		}

		if (seed.provisioned) {
			if (seed.functionsVersion === 1) {
				provisionV1(account, port, createdAt);
			} else {
				account.infrastructureStartedAt = Number.MIN_SAFE_INTEGER;
			}
		}

		accounts.set(account.accountId, account);
	}

	return accounts;
}

/**
A draft function in lpf's ILambda shape (`src/types/ILambda.ts`): what `lpf get functions` prints (name, state,
updatedAt, eventId).
*/
function exampleLambda(loginName: string, createdAt: string): Record<string, unknown> {
	return {
		uuid: '5c1d9a4e-0000-4000-8000-000000000001',
		version: 1,
		name: 'hello-sandbox',
		description: 'Seeded by the sandbox',
		eventId: null,
		samplePayload: {headers: [], payload: {}},
		state: 'Draft',
		runtime: {uuid: '5c1d9a4e-0000-4000-8000-0000000000aa', name: 'Node.js 18', baseImageName: 'sandbox-node18'},
		createdAt,
		createdBy: loginName,
		updatedAt: createdAt,
		updatedBy: loginName,
		lastDeployment: {},
		implementation: {code: 'function lambda(input, callback) { callback(null, "hello"); }', dependencies: [], environmentVariables: []},
	};
}

/** Every account starts with one skill, routed to its root agent group (the Skills API appendix's entity, trimmed). */
function seedSkill(mainGroup: number): StoredSkill {
	return {
		id: mainGroup + 1000,
		name: 'Sales',
		description: 'Seeded by the sandbox',
		deleted: false,
		skillOrder: 0,
		maxWaitTime: 120,
		canTransfer: true,
		fallbackWhenAllAgentsAreAway: true,
		dateUpdated: '2026-01-01 00:00:00',
		skillRoutingConfiguration: [{priority: 1, splitPercentage: 100, agentGroupId: mainGroup}],
	};
}

/**
What an admin's agreement to the terms of use does on V1 (the provisioning page): the feature, both default secrets, and
the default domains (the sandbox's own table), without duplicating what is already there.
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

/**
V2's rule, stated once: from the moment the provisioning started from the UI page has run its time, the feature is
active and the default secret stored. Derived from the start time whenever asked, never written when noticed, so reading
state (a GET, `state()`) changes nothing.
*/
function v2Provisioned(account: AccountState, now: number, infrastructureMs: number): boolean {
	return account.functionsVersion === 2 && infrastructureState(account, now, infrastructureMs).state === 'done';
}

/** Whether Functions is active for the account: provisioned on V1, or V2's provisioning done. */
export function functionsActive(account: AccountState, now: number, infrastructureMs: number): boolean {
	return account.featureActive || v2Provisioned(account, now, infrastructureMs);
}

/** The system secrets the account holds: those stored, and V2's default secret once its provisioning is done. */
export function systemSecretNames(account: AccountState, now: number, infrastructureMs: number): SystemSecretName[] {
	const stored = [...account.systemSecrets.keys()];
	return v2Provisioned(account, now, infrastructureMs) ? [...new Set([...stored, ...provisionedSecrets[2]])] : stored;
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

export function snapshot(
	account: AccountState,
	sessions: Iterable<StoredSession>,
	now: number,
	infrastructureMs: number,
): AccountStateSnapshot {
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
		feature: {active: functionsActive(account, now, infrastructureMs)},
		systemSecrets: systemSecretNames(account, now, infrastructureMs),
		allowlist: account.allowlist.map(({domain}) => domain),
		infrastructure: infrastructureState(account, now, infrastructureMs),
		sessions: sessionCount,
		requests: Object.fromEntries(account.requestCounts),
	};
}

export {sessionTtlMs};

/**
What `stateFile` holds: every account's mutable state, the live sessions and (as last saved) the OAuth nonces in their
window.
*/
export type PersistedState = {
	readonly format: 1;
	readonly accounts: ReadonlyArray<{
		readonly accountId: string;
		readonly users: StoredUser[];
		readonly apiKeys: OAuth1Key[];
		readonly featureActive: boolean;
		readonly systemSecrets: Array<[SystemSecretName, {createdAt: string}]>;
		readonly allowlist: Array<{id: number; domain: string; name: string}>;
		/** Absent in files written before the sandbox modelled skills: the seed's stay then. */
		readonly skills?: StoredSkill[];
		readonly infrastructureStartedAt: number | null;
		readonly revision: number;
	}>;
	readonly sessions: StoredSession[];
	/** `consumerKey nonce` and when it may be forgotten (server ms), as of the last write that carried them. */
	readonly nonces?: Array<[string, number]>;
};

/** The engine parts a state file holds. */
export type PersistedParts = {
	readonly accounts: Map<string, AccountState>;
	readonly sessions: Map<string, StoredSession>;
	readonly nonces: NonceWindow;
};

/**
The state to save; sessions that expired by `now` are left out. `nonces` (the window's entries) are saved only when
given: the state file writes them when it writes anyway, and once when the sandbox closes, never one request at a time.
*/
export function persistState(
	accounts: Map<string, AccountState>,
	sessions: Map<string, StoredSession>,
	now = Number.NEGATIVE_INFINITY,
	nonces?: Array<[string, number]>,
	infrastructureMs?: number,
): PersistedState {
	// With `infrastructureMs`, V2's derived state is what is saved (the feature, the default secret), as `state()` shows
	// it.
	const secrets = (account: AccountState) => infrastructureMs === undefined
		? [...account.systemSecrets]
		: systemSecretNames(account, now, infrastructureMs).map(name => [name, account.systemSecrets.get(name) ?? {
			createdAt: new Date((account.infrastructureStartedAt ?? 0) + infrastructureMs).toISOString(),
		}] as [SystemSecretName, {createdAt: string}]);
	return structuredClone({
		format: 1,
		accounts: [...accounts.values()].map(account => ({
			accountId: account.accountId,
			users: account.users,
			apiKeys: account.apiKeys,
			featureActive: infrastructureMs === undefined
				? account.featureActive
				: functionsActive(account, now, infrastructureMs),
			systemSecrets: secrets(account),
			allowlist: account.allowlist,
			skills: account.skills,
			infrastructureStartedAt: account.infrastructureStartedAt ?? null,
			revision: account.revision,
		})),
		sessions: [...sessions.values()].filter(session => session.expiresAt > now),
		...(nonces ? {nonces} : {}),
	});
}

/**
Replaces the engine's state with what `persistState` saved, on the seeded accounts; saved nonces are added to those in
memory (forgetting one would let a replay through). Accounts the seed does not have are ignored. Returns false (and
changes nothing) when `data` is not a state this version wrote.
*/
export function restoreState(
	data: unknown,
	{accounts, sessions, nonces}: PersistedParts,
	serverNow = Number.NEGATIVE_INFINITY,
): boolean {
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
		if (Array.isArray(saved.skills)) {
			account.skills.splice(0, account.skills.length, ...saved.skills);
		}

		account.infrastructureStartedAt = saved.infrastructureStartedAt ?? undefined;
		account.revision = saved.revision;
	}

	sessions.clear();
	for (const session of state.sessions) {
		if (accounts.has(session.accountId)) {
			sessions.set(session.bearer, session);
		}
	}

	nonces.merge(Array.isArray(state.nonces) ? state.nonces : [], serverNow);

	return true;
}
