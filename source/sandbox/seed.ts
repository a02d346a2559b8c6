import type {OAuth1Key, OAuth2Client} from '../liveperson/credentials.js';
import type {FunctionsVersion} from '../liveperson/types.js';

/**
The seeded accounts. `12345678` (V1) and `87654321` (V2) start unprovisioned; `11223344` (V1) is already fully set up;
`22334455` (V1, unprovisioned) is past OAuth 1.0's end of life: it takes only its OAuth 2.0 client.
*/
export type DemoAccountId = '12345678' | '87654321' | '11223344' | '22334455';

export type DemoUser = {
	readonly userId: string;
	readonly loginName: string;
	readonly password: string;
	readonly isAdmin: boolean;
};

export type DemoAccount = {
	readonly accountId: DemoAccountId;
	readonly functionsVersion: FunctionsVersion;
	/** Whether Functions is already provisioned (feature, secrets, allowlist). */
	readonly provisioned: boolean;
	readonly admin: DemoUser;
	/** The non-admin user, on `12345678` only. */
	readonly agent: DemoUser | undefined;
	readonly users: readonly DemoUser[];
	/** The account's demo API key. Sandbox-only values, safe to print. */
	readonly apiKey: OAuth1Key;
	/** The account's demo OAuth 2.0 client (an installed application) and the scopes Sentinel grants it. */
	readonly client: DemoClient;
	/** More clients of the account with other scopes (a Functions invoker, on `12345678`), to model per-client scopes. */
	readonly otherClients: readonly DemoClient[];
	/**
	Whether the account still accepts OAuth 1.0. False models an account past OAuth 1.0's end of life (2026-05-31): its key
	and its key logins are refused (sandbox's own choice of answer: 401, message in docs/contract.md).
	*/
	readonly acceptsOAuth1: boolean;
	/**
	Login name of a seeded bot user allowed to log in with `apiKey` (`11223344` only, where everything exists already).
	*/
	readonly botLoginName: string | undefined;
	readonly profiles: readonly SandboxProfile[];
	readonly agentGroups: readonly SandboxAgentGroup[];
};

export type DemoClient = OAuth2Client & {readonly scopes: readonly string[]};

/**
The scopes of the demo clients: the Users API's (the current page names `users.external`, an older one `users.read` and
`users.write`). No public page names the scope of Profiles or Agent Groups reads; the sandbox lets any valid token read
them.
*/
export const demoScopes = ['users.external', 'users.read', 'users.write'] as const;

export type DemoData = {
	readonly accounts: Readonly<Record<DemoAccountId, DemoAccount>>;
};

/** Every service the sandbox's CSDS knows (docs/liveperson-api.md §1). */
export const sandboxServices = [
	'accountConfigReadOnly',
	'accountConfigReadWrite',
	'agentVep',
	'asyncMessaging',
	'asyncMessagingEnt',
	'engHistDomain',
	'leDataReporting',
	'msgHist',
	'msgEwtAPI',
	'rtbf',
	'smt',
	'pusher',
	'msdkgw',
	'swift',
	'faasGW',
	'faasUI',
	'sentinel',
	'liveEngageUI',
	'facadeMsg',
] as const;

/**
The sandbox's own statement of what V1 provisioning allowlists: the 15 services of LivePerson's Functions provisioning
page, in CSDS's spelling. Deliberately not the client's list, so a wrong fact on one side fails a test instead of hiding
in a shared constant.
*/
export const provisionedAllowlistServices = [
	'faasGW', 'msgHist', 'agentVep', 'accountConfigReadOnly', 'accountConfigReadWrite', 'asyncMessaging', 'asyncMessagingEnt',
	'engHistDomain', 'rtbf', 'smt', 'pusher', 'leDataReporting', 'msgEwtAPI', 'msdkgw', 'swift',
] as const;

export type SandboxSecretName = 'lp-faas-default-app-key' | 'lp-faas-orchestrator-app-key' | 'LIVEPERSON_DEFAULT_APP_KEY';

/** The system secrets provisioning installs, per platform version (the provisioning pages). */
export const provisionedSecrets: Readonly<Record<FunctionsVersion, readonly SandboxSecretName[]>> = {
	1: ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key'],
	2: ['LIVEPERSON_DEFAULT_APP_KEY'],
};

/**
A Profiles API profile; `roleTypeId` 1 Admin, 2 Agent, 3 Agent Manager, 4 Campaign Manager (Profiles API appendix).
*/
export type SandboxProfile = {
	readonly id: number;
	readonly name: string;
	readonly roleTypeId: number;
	readonly roleTypeName: string;
};

/** An Agent Groups API group; the root group is the only one with a null `parentGroupId`. */
export type SandboxAgentGroup = {
	readonly id: number;
	readonly name: string;
	readonly parentGroupId: number | null;
	readonly isEnabled: boolean;
};

/** Per-account profiles with long ids, as real accounts have them (the Users API example's ids are like 2359273612). */
function profilesFor(base: number): SandboxProfile[] {
	return [
		{id: base + 12, name: 'Administrator', roleTypeId: 1, roleTypeName: 'Administrator'},
		{id: base + 22, name: 'Agent', roleTypeId: 2, roleTypeName: 'Agent'},
		{id: base + 32, name: 'Agent Manager', roleTypeId: 3, roleTypeName: 'Agent Manager'},
		{id: base + 42, name: 'Campaign Manager', roleTypeId: 4, roleTypeName: 'Campaign Manager'},
	];
}

function agentGroupsFor(base: number): SandboxAgentGroup[] {
	return [
		{id: base + 7, name: 'Main Group', parentGroupId: null, isEnabled: true},
		{id: base + 17, name: 'Support', parentGroupId: base + 7, isEnabled: true},
	];
}

export const sessionTtlMs = 28_800_000;

const adminPassword = 'sandbox-admin-pass';

/** The seed. Constant values, so the demo key printed by `lp-onboard sandbox` stays the same between runs. */
export function createDemoData(): DemoData {
	const admin12 = {userId: '4100001', loginName: 'admin', password: adminPassword, isAdmin: true};
	const agent12 = {userId: '4100002', loginName: 'agent', password: 'sandbox-agent-pass', isAdmin: false};
	const admin87 = {userId: '4200001', loginName: 'admin', password: adminPassword, isAdmin: true};
	const admin11 = {userId: '4300001', loginName: 'admin', password: adminPassword, isAdmin: true};
	const admin22 = {userId: '4400001', loginName: 'admin', password: adminPassword, isAdmin: true};
	return {
		accounts: {
			'12345678': {
				accountId: '12345678',
				functionsVersion: 1,
				provisioned: false,
				admin: admin12,
				agent: agent12,
				users: [admin12, agent12],
				apiKey: {
					appKey: '4c8ce8a660c1f6f43537aa7130e4e19b',
					appSecret: '237f187e5698ede38c61bca37516bcf7',
					accessToken: '28a92dbbd758677ea838ceb4ef1fc08a',
					accessTokenSecret: '50d9205dc910a93d82fd98c27c37b7d1',
				},
				client: {clientId: 'c3a1f7e2-5d4b-4e8a-9f10-123456780001', clientSecret: 'b7e4c1d9a2f85e3c6d0a9b8e7f6c5d4a', scopes: demoScopes},
				otherClients: [{clientId: 'c3a1f7e2-5d4b-4e8a-9f10-123456780002', clientSecret: 'f0e1d2c3b4a5968778695a4b3c2d1e0f', scopes: ['faas.lambda.invoke']}],
				acceptsOAuth1: true,
				botLoginName: undefined,
				profiles: profilesFor(2_359_273_600),
				agentGroups: agentGroupsFor(3_712_840_000),
			},
			'87654321': {
				accountId: '87654321',
				functionsVersion: 2,
				provisioned: false,
				admin: admin87,
				agent: undefined,
				users: [admin87],
				apiKey: {
					appKey: '55a97db2453a5317c623543b584764b3',
					appSecret: 'c1cc18c444fd25864280e878e16cd6df',
					accessToken: '181c18c18d4f900be8e8724d42ae63ef',
					accessTokenSecret: 'bd961a55b037c20ea256c598511d8436',
				},
				client: {clientId: 'c3a1f7e2-5d4b-4e8a-9f10-876543210001', clientSecret: '9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a', scopes: demoScopes},
				otherClients: [],
				acceptsOAuth1: true,
				botLoginName: undefined,
				profiles: profilesFor(2_871_554_100),
				agentGroups: agentGroupsFor(4_100_290_000),
			},
			'11223344': {
				accountId: '11223344',
				functionsVersion: 1,
				provisioned: true,
				admin: admin11,
				agent: undefined,
				users: [admin11],
				apiKey: {
					appKey: '2bdce60e9dd039121fc4dfb0119f0062',
					appSecret: '066d432fc228869bf4ab91cf1294ceb0',
					accessToken: '1006d600e74c8a2dc6fa9199dd9d6686',
					accessTokenSecret: '27133913b65735a460e87c6353ea5c6f',
				},
				client: {clientId: 'c3a1f7e2-5d4b-4e8a-9f10-112233440001', clientSecret: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', scopes: demoScopes},
				otherClients: [],
				acceptsOAuth1: true,
				botLoginName: 'lp-onboard-bot',
				profiles: profilesFor(1_940_662_300),
				agentGroups: agentGroupsFor(2_003_118_000),
			},
			'22334455': {
				accountId: '22334455',
				functionsVersion: 1,
				provisioned: false,
				admin: admin22,
				agent: undefined,
				users: [admin22],
				// An existing key from before the end of life: the account refuses it.
				apiKey: {
					appKey: '7f3e9a1c5b2d4e6f8a0c1e3b5d7f9a2c',
					appSecret: '3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e1b',
					accessToken: '6b8d0f2a4c6e8b0d2f4a6c8e0a2c4e6b',
					accessTokenSecret: 'e1c3a5b7d9f0e2c4a6b8d0f1e3c5a7b9',
				},
				client: {clientId: 'c3a1f7e2-5d4b-4e8a-9f10-223344550001', clientSecret: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', scopes: demoScopes},
				otherClients: [],
				acceptsOAuth1: false,
				botLoginName: undefined,
				profiles: profilesFor(2_230_114_400),
				agentGroups: agentGroupsFor(2_231_220_000),
			},
		},
	};
}
