import type {Authorizer} from './authorizer.js';
import type {Credentials, OAuth1Key, OAuth2Client} from './credentials.js';
import type {RetryEvent} from './http.js';

/** Service name → bare host (`va.agentvep.liveperson.net`), as CSDS returns them. */
export type Domains = Readonly<Record<string, string>>;

export type FunctionsVersion = 1 | 2;

/** A Login Service session (agentVep). `sessionId` is the `Session_id` cookie refresh and logout need. */
export type Session = {
	readonly accountId: string;
	readonly bearer: string;
	readonly csrf: string;
	readonly sessionId: string;
	readonly userId: string;
	readonly loginName: string;
	readonly isAdmin: boolean;
	/** Milliseconds since the epoch, from `sessionTTl`. */
	readonly expiresAt: number;
};

export type LoginBody =
	| {readonly username: string; readonly password: string}
	| {readonly username: string; readonly credentials: Credentials};

/**
How a call authenticates: the credentials port (OAuth 2.0 Bearer or OAuth 1.0 signature, whichever the profile holds), a
Login Service bearer, or (tests, low-level callers) an OAuth 1.0 key signed per request.
*/
export type Auth = {readonly authorizer: Authorizer} | {readonly bearer: string} | {readonly oauth: OAuth1Key};

export type User = {
	readonly id: string;
	readonly loginName: string;
	readonly fullName?: string;
	readonly nickname?: string;
	readonly email?: string;
	readonly userTypeId?: number;
	readonly isApiUser?: boolean;
	readonly allowedAppKeys?: string;
	readonly profileIds?: readonly number[];
	/** The agent group of an Agent-role user (Users API appendix: required only if the user is an agent). */
	readonly memberOf?: {readonly agentGroupId: number};
	readonly isEnabled?: boolean;
};

export type NewUser = Omit<User, 'id'> & {
	readonly fullName: string;
	readonly nickname: string;
	readonly email: string;
	readonly isEnabled: boolean;
	readonly maxChats: number;
	readonly profileIds: readonly number[];
};

/** What the Functions calls need: who is calling, where, and which platform version. */
export type FunctionsContext = {
	readonly session: Session;
	readonly domains: Domains;
	readonly version: FunctionsVersion;
};

/** A Profiles API profile: `roleTypeId` 1 Admin, 2 Agent, 3 Agent Manager, 4 Campaign Manager, 5 LPA. */
export type Profile = {
	readonly id: number;
	readonly name: string;
	readonly roleTypeId: number;
	readonly deleted: boolean;
};

/** An Agent Groups API group; the root group is the only one with a null `parentGroupId`. */
export type AgentGroup = {
	readonly id: number;
	readonly name: string;
	readonly parentGroupId: number | null;
	readonly isEnabled: boolean;
	readonly deleted: boolean;
};

/**
What lpf's function list answered: a list (Functions answers for the account) or a 4xx, whose meaning is not documented.
*/
export type FunctionsProbe =
	| {readonly answering: true; readonly status: number; readonly functions: number}
	| {readonly answering: false; readonly status: number; readonly code?: string};

/**
One `POST /proxy-settings`: added, or refused with LivePerson's status and V1 error body; `duplicate` when the answer
says the domain is already listed.
*/
export type AllowedDomain =
	| {readonly added: true; readonly domain: string; readonly id: number}
	| {
		readonly added: false;
		readonly domain: string;
		readonly status: number;
		readonly code?: string;
		readonly message?: string;
		readonly duplicate: boolean;
	};

export type CallOptions = {
	readonly signal?: AbortSignal;
	/** Told before each pause of the retry policy, so a view can show it as it happens. */
	readonly onRetry?: (event: RetryEvent) => void;
};

/**
Every LivePerson endpoint lp-onboard uses, one method each. Implementations retry per the docs' policy and throw
`HttpError` (with a hint) when a call finally fails.
*/
export type LivePersonApi = {
	/** One CSDS call for all services. Throws `HttpError` (status 404) when the account does not resolve. */
	domains(accountId: string, options?: CallOptions): Promise<Domains>;
	domain(accountId: string, service: string, options?: CallOptions): Promise<string>;
	login(accountId: string, domains: Domains, body: LoginBody, options?: CallOptions): Promise<Session>;
	/** Sentinel's OAuth 2.0 token for a client (client credentials grant); `expiresIn` in seconds. */
	token(
		accountId: string,
		domains: Domains,
		client: OAuth2Client,
		options?: CallOptions,
	): Promise<{accessToken: string; expiresIn: number}>;
	/** Keep-alive. Throws `HttpError` 401 when the session is gone. */
	refresh(session: Session, domains: Domains, options?: CallOptions): Promise<void>;
	logout(session: Session, domains: Domains, options?: CallOptions): Promise<void>;
	listUsers(accountId: string, domains: Domains, auth: Auth, options?: CallOptions): Promise<User[]>;
	/** Not retried on 5xx or a dropped connection (not idempotent): callers list users first. */
	createUser(accountId: string, domains: Domains, auth: Auth, user: NewUser, options?: CallOptions): Promise<User>;
	/** Adds a key (a client id, an app key) to a user's allowedAppKeys: GET, then PUT with If-Match. Not retried. */
	allowUserKey(
		accountId: string, domains: Domains, auth: Auth, userId: string, key: string, options?: CallOptions,
	): Promise<User>;
	listProfiles(accountId: string, domains: Domains, auth: Auth, options?: CallOptions): Promise<Profile[]>;
	listAgentGroups(accountId: string, domains: Domains, auth: Auth, options?: CallOptions): Promise<AgentGroup[]>;
	/**
	lpf's function list (V1 `/lambdas`, V2 `/functions`), read only to see whether Functions answers for the account.
	*/
	probeFunctions(context: FunctionsContext, options?: CallOptions): Promise<FunctionsProbe>;
	/** V1 only. Not retried on 5xx or a dropped connection. */
	allowDomain(context: FunctionsContext, domain: string, options?: CallOptions): Promise<AllowedDomain>;
};
