import type {Credentials} from '../secrets/secret-store.js';

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

/** How a call authenticates: an OAuth 1.0 API key (signed per request) or a Login Service bearer. */
export type Auth = {readonly oauth: Credentials} | {readonly bearer: string};

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

export type InfrastructureState = {readonly state: 'none' | 'running' | 'done' | 'failed'; readonly progress: number};

export type SystemSecretName = 'lp-faas-default-app-key' | 'lp-faas-orchestrator-app-key' | 'LIVEPERSON_DEFAULT_APP_KEY';

export type SystemSecret = {readonly key: string; readonly privileges: readonly string[]; readonly createdAt: string};

export type AllowedDomain = {readonly id: number; readonly domain: string; readonly name?: string};

export type CallOptions = {readonly signal?: AbortSignal};

/**
Every LivePerson endpoint lp-onboard uses, one method each. Implementations retry per the docs' policy and throw `HttpError`
(with a hint) when a call finally fails.
*/
export type LivePersonApi = {
	/** One CSDS call for all services. Throws `HttpError` (status 404) when the account does not resolve. */
	domains(accountId: string, options?: CallOptions): Promise<Domains>;
	domain(accountId: string, service: string, options?: CallOptions): Promise<string>;
	login(accountId: string, domains: Domains, body: LoginBody, options?: CallOptions): Promise<Session>;
	/** Keep-alive. Throws `HttpError` 401 when the session is gone. */
	refresh(session: Session, domains: Domains, options?: CallOptions): Promise<void>;
	logout(session: Session, domains: Domains, options?: CallOptions): Promise<void>;
	listUsers(accountId: string, domains: Domains, auth: Auth, options?: CallOptions): Promise<User[]>;
	/** Not retried on 5xx or a dropped connection (not idempotent): callers list users first. */
	createUser(accountId: string, domains: Domains, auth: Auth, user: NewUser, options?: CallOptions): Promise<User>;
	getFeature(context: FunctionsContext, options?: CallOptions): Promise<{active: boolean}>;
	activateFeature(context: FunctionsContext, options?: CallOptions): Promise<void>;
	getSystemSecret(context: FunctionsContext, name: SystemSecretName, options?: CallOptions): Promise<SystemSecret | undefined>;
	createSystemSecret(context: FunctionsContext, name: SystemSecretName, options?: CallOptions): Promise<SystemSecret>;
	listAllowedDomains(context: FunctionsContext, options?: CallOptions): Promise<AllowedDomain[]>;
	allowDomain(context: FunctionsContext, domain: string, options?: CallOptions): Promise<AllowedDomain>;
	getInfrastructure(context: FunctionsContext, options?: CallOptions): Promise<InfrastructureState>;
	startInfrastructure(context: FunctionsContext, options?: CallOptions): Promise<InfrastructureState>;
};
