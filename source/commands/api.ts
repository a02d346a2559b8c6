import {UsageError, exitCodes, type ExitCode} from '../errors.js';
import type {Factory} from '../factory.js';
import type {HttpMethod} from '../liveperson/http.js';
import type {Auth} from '../liveperson/types.js';
import {authorizerFor, resolveCredentials} from './shared/credentials.js';
import {type RunCommand, result} from './command.js';
import {accountDomains, resolveAccountId} from './shared/account.js';

const methods: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
Which CSDS service a path belongs to, where LivePerson's docs make it unambiguous (docs/contract.md). Reads of the account
configuration go to the read-only domain, writes to the read-write one, as the Users API documents.
*/
export function guessService(path: string, method: HttpMethod): string | undefined {
	const rules: ReadonlyArray<[RegExp, string | ((method: HttpMethod) => string)]> = [
		[/^\/api\/account\/[^/]+\/configuration\//, write => (write === 'GET' ? 'accountConfigReadOnly' : 'accountConfigReadWrite')],
		[/^\/api\/account\/[^/]+\/(?:login|refresh|logout)(?:[/?]|$)/, 'agentVep'],
		[/^\/api\/account\/[^/]+\/service\//, 'csds'],
		[/^\/api\/account\/[^/]+\/(?:lambdas|functions|proxy-settings|deployments)(?:[/?]|$)/, 'faasUI'],
		[/^\/messaging_history\//, 'msgHist'],
		[/^\/interaction_history\//, 'engHistDomain'],
	];
	const found = rules.find(([pattern]) => pattern.test(path))?.[1];
	return typeof found === 'function' ? found(method) : found;
}

/** `[METHOD] PATH`: GET unless a method is named (POST when --data is given, like `gh api`). */
function parseArgs(args: readonly string[], hasData: boolean): {method: HttpMethod; path: string} {
	const usage = new UsageError('Usage: lp-onboard api [METHOD] PATH [--service NAME] [--data JSON|@FILE]', 'For example: lp-onboard api GET "/api/account/{accountId}/configuration/le-users/users?v=4.0"');
	if (args.length === 0 || args.length > 2) {
		throw usage;
	}

	const [first, second] = args as [string, string | undefined];
	const named = second === undefined ? undefined : first.toUpperCase();
	if (named !== undefined && !(methods as readonly string[]).includes(named)) {
		throw new UsageError(`"${first.slice(0, 20)}" is not an HTTP method.`, `Use one of ${methods.join(', ')}.`);
	}

	const path = second ?? first;
	if (!path.startsWith('/') && !/^https?:\/\//.test(path)) {
		throw usage;
	}

	return {method: (named as HttpMethod | undefined) ?? (hasData ? 'POST' : 'GET'), path};
}

async function readBody(f: Factory): Promise<unknown> {
	const {data} = f.flags;
	if (data === undefined) {
		return undefined;
	}

	let text = data;
	if (data.startsWith('@')) {
		const {readFile} = await import('node:fs/promises');
		try {
			text = await readFile(data.slice(1), 'utf8');
		} catch (error) {
			throw new UsageError(`Cannot read --data file ${data.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, 'Pass --data @FILE with a JSON file, or the JSON itself.');
		}
	}

	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new UsageError('--data is not JSON.', 'Pass a JSON body, e.g. --data \'{"loginName":"bot"}\', or --data @body.json.');
	}
}

/** The exit code for an HTTP status: 0 for 2xx/3xx, 4 refused (401/403), 2 any other 4xx (the request was wrong), 5 for 5xx. */
export function exitCodeForStatus(status: number): ExitCode {
	if (status < 400) {
		return exitCodes.ok;
	}

	if (status === 401 || status === 403) {
		return exitCodes.auth;
	}

	return status < 500 ? exitCodes.usage : exitCodes.network;
}

/**
`lp-onboard api`: a signed call to any LivePerson API, like `gh api`. Resolves the service's domain (cached CSDS answer),
fills `{accountId}`, authorizes with the profile's credentials (OAuth 2.0 Bearer, or a legacy OAuth 1.0 signature) or, with --bearer, logs in as the profile's bot and sends its
bearer; prints the body (pretty JSON at a terminal or with --json) and exits by the status class.
*/
export const run: RunCommand = async (f, args) => {
	const body = await readBody(f);
	const {method, path: given} = parseArgs(args, body !== undefined);
	const accountId = await resolveAccountId(f);
	const path = given.replaceAll('{accountId}', encodeURIComponent(accountId));
	const api = await f.api();
	let url: string;
	if (/^https?:\/\//.test(path)) {
		url = path;
	} else {
		const service = f.flags.service ?? guessService(path, method);
		if (!service) {
			throw new UsageError(`Which LivePerson service serves ${path.split('?')[0]!}?`, 'Pass --service NAME (a CSDS service name; `lp-onboard domains` lists them).');
		}

		const domains = await accountDomains(f, accountId);
		const host = Object.entries(domains).find(([name]) => name.toLowerCase() === service.toLowerCase())?.[1];
		if (!host) {
			throw new UsageError(`CSDS lists no ${service} domain for account ${accountId}.`, 'Check --service against `lp-onboard domains`.');
		}

		url = `${new URL(await f.csdsUrl()).protocol}//${host}${path}`;
	}

	const credentials = await resolveCredentials(f, accountId);
	let auth: Auth = {authorizer: await authorizerFor(f, accountId, credentials)};
	let logout: (() => Promise<void>) | undefined;
	if (f.flags.bearer) {
		const profile = await f.profile();
		if (!profile?.botLoginName) {
			throw new UsageError('--bearer needs the bot user the wizard set up.', 'Run lp-onboard first, or drop --bearer to use the profile\'s credentials.');
		}

		const domains = await accountDomains(f, accountId);
		const session = await api.login(accountId, domains, {username: profile.botLoginName, credentials}, {signal: f.signal});
		auth = {bearer: session.bearer};
		logout = async () => api.logout(session, domains, {signal: f.signal});
	}

	try {
		const answer = await api.send({
			method,
			url,
			what: `${method} ${path.split('?')[0]!}`,
			auth,
			body,
			accept: Array.from({length: 300}, (_, index) => 300 + index),
			signal: f.signal,
		});
		const text = answer.body === undefined ? '' : JSON.stringify(answer.body, undefined, f.stdoutIsTerminal ? 2 : undefined);
		if (answer.status >= 400) {
			// A local sandbox marks the calls it does not model: its limit, not LivePerson's answer.
			const sandboxLimit = (await f.network()).local && answer.headers['x-lp-sandbox-limit'] !== undefined;
			(await f.ui()).warn(sandboxLimit
				? `The sandbox does not model ${method} ${path.split('?')[0]!}; LivePerson does (HTTP ${answer.status} is the sandbox's limit, not LivePerson's answer).`
				: `LivePerson answered HTTP ${answer.status}.`);
		}

		return result(text, undefined, exitCodeForStatus(answer.status));
	} finally {
		await logout?.();
	}
};
