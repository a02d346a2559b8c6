import {createHmac, randomBytes} from 'node:crypto';
import OAuth from 'oauth-1.0a';
import {readFileSync} from 'node:fs';
import {Agent, request} from 'undici';
import type {OAuth1Key} from '../../source/liveperson/credentials.js';
import type {Sandbox} from '../../source/sandbox/server.js';
import {createDemoData, type DemoAccountId} from '../../source/sandbox/seed.js';

export type Reply = {
	readonly status: number;
	readonly headers: Record<string, string | string[] | undefined>;
	readonly text: string;
	/** The parsed body, or undefined when it is not JSON. */
	readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read the fields they expect; a wrong one fails its assertion
};

export type CallOptions = {
	readonly method?: string;
	/** Sent as the Host header (the service host a real client would use); the connection still goes to 127.0.0.1. */
	readonly host?: string;
	readonly headers?: Record<string, string>;
	readonly body?: unknown;
};

const trusting = new Map<string, Agent>();

/** An undici dispatcher that trusts only the TLS sandbox's CA (as NODE_EXTRA_CA_CERTS would, for this client alone). */
export function trustingAgent(caFile: string): Agent {
	let agent = trusting.get(caFile);
	if (!agent) {
		agent = new Agent({connect: {ca: readFileSync(caFile, 'utf8')}});
		trusting.set(caFile, agent);
	}

	return agent;
}

/**
One real HTTP(S) request to the sandbox with undici. JSON bodies are serialised; strings are sent as they are. A TLS sandbox
is called trusting its CA only.
*/
export async function call(sandbox: Pick<Sandbox, 'url'> & {caFile?: string | undefined}, path: string, options: CallOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = {...options.headers};
	if (options.host) {
		headers['host'] = options.host;
	}

	let body: string | undefined;
	if (typeof options.body === 'string') {
		body = options.body;
	} else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] ??= 'application/json';
	}

	const dispatcher = sandbox.caFile ? trustingAgent(sandbox.caFile) : undefined;
	const response = await request(`${sandbox.url}${path}`, {method: (options.method ?? 'GET') as 'GET', headers, body, dispatcher});
	const text = await response.body.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {}

	return {status: response.statusCode, headers: response.headers, text, json};
}

/** The service host CSDS hands out for a service, e.g. `va.accountconfigreadonly.sandbox.test:PORT`. */
export function serviceHost(sandbox: Pick<Sandbox, 'port'>, service: string): string {
	return `va.${service.toLowerCase()}.sandbox.test:${sandbox.port}`;
}

export type SignOptions = {
	readonly method: string;
	/** The full URL the signature covers, e.g. `http://va.accountconfigreadonly.sandbox.test:PORT/api/…?v=4.0`. */
	readonly url: string;
	readonly timestamp?: number;
	readonly nonce?: string;
	readonly data?: Record<string, string>;
};

/** Signs like the client does: with oauth-1.0a, so the sandbox's own verifier is checked against an independent signer. */
export function oauthHeader(credentials: OAuth1Key, options: SignOptions): string {
	const oauth = new OAuth({
		consumer: {key: credentials.appKey, secret: credentials.appSecret},
		signature_method: 'HMAC-SHA1',
		hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
	});
	if (options.nonce !== undefined) {
		const {nonce} = options;
		oauth.getNonce = () => nonce;
	} else {
		oauth.getNonce = () => randomBytes(12).toString('hex');
	}

	if (options.timestamp !== undefined) {
		const {timestamp} = options;
		oauth.getTimeStamp = () => timestamp;
	}

	const authorization = oauth.authorize(
		{url: options.url, method: options.method, ...(options.data ? {data: options.data} : {})},
		{key: credentials.accessToken, secret: credentials.accessTokenSecret},
	);
	return oauth.toHeader(authorization).Authorization;
}

export const usersPath = (accountId: string) => `/api/account/${accountId}/configuration/le-users/users`;

/** Logs in with user name and password and returns what later calls need. */
export async function loginAs(sandbox: Sandbox, accountId: string, username: string, password: string) {
	const reply = await call(sandbox, `/api/account/${accountId}/login?v=1.3`, {
		method: 'POST',
		host: serviceHost(sandbox, 'agentVep'),
		body: {username, password},
	});
	if (reply.status !== 200) {
		throw new Error(`login failed: ${reply.status} ${reply.text}`);
	}

	const cookie = String(reply.headers['set-cookie']).split(';')[0]!;
	return {
		bearer: reply.json.bearer as string,
		csrf: reply.json.csrf as string,
		userId: reply.json.config.userId as string,
		cookie,
		reply,
	};
}

/** A bot user entity for one of the seeded accounts: its Agent profile and its root agent group, as the Users API requires. */
export function newBot(loginName: string, appKey: string | undefined, accountId: DemoAccountId = '12345678') {
	const {profiles, agentGroups} = createDemoData().accounts[accountId];
	return {
		loginName,
		fullName: 'Test Bot',
		nickname: loginName,
		email: `${loginName}@example.com`,
		isEnabled: true,
		maxChats: 0,
		profileIds: [profiles.find(profile => profile.roleTypeId === 2)!.id],
		memberOf: {agentGroupId: agentGroups.find(group => group.parentGroupId === null)!.id},
		userTypeId: 2,
		isApiUser: true,
		...(appKey ? {allowedAppKeys: appKey} : {}),
	};
}
