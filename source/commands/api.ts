import {UsageError, exitCodes, type ExitCode} from '../errors.js';
import type {Factory} from '../factory.js';
import type {HttpMethod, HttpResult} from '../liveperson/http.js';
import type {Credentials} from '../liveperson/credentials.js';
import {createOAuthSigner} from '../liveperson/oauth.js';
import type {Auth} from '../liveperson/types.js';
import {accountDomains, pathUrl, resolveAccountId} from './shared/account.js';
import {authorizerFor, resolveCredentials} from './shared/credentials.js';
import {type Field, collectFields, fieldsBody, parseHeaders, withQuery} from './api/fields.js';
import {type HeaderList, formatBody, maskHeader, requestLines, responseLines} from './api/output.js';
import {type CommandResult, type RunCommand, result} from './command.js';

const methods: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const usage = 'Usage: lp-onboard api [METHOD] PATH [options]';
const example = 'For example: lp-onboard api GET \'/api/account/{accountId}/configuration/le-users/users?v=6.0\'';
/** The most a body read from a file or stdin (--input, --data @FILE, -F key=@FILE) may hold. */
const maxBodyBytes = 4 * 1024 * 1024;
/** --paginate stops here, whatever the pages say: a server that links page to page forever ends one day. */
const maxPages = 1000;

/** `[METHOD] PATH` and -X: the method when one is named (they must agree), and the path. */
function parseTarget(args: readonly string[], flag: string | undefined): {method?: HttpMethod; path: string} {
	if (args.length === 0 || args.length > 2) {
		throw new UsageError(usage, example);
	}

	const [first, second] = args as [string, string | undefined];
	const named = [second === undefined ? undefined : first, flag]
		.filter(name => name !== undefined)
		.map(name => name.toUpperCase());
	for (const name of named) {
		if (!(methods as readonly string[]).includes(name)) {
			throw new UsageError(`"${name.slice(0, 20)}" is not an HTTP method.`, `Use one of ${methods.join(', ')}.`);
		}
	}

	if (named.length === 2 && named[0] !== named[1]) {
		throw new UsageError(`Two methods: ${named[0]!} and -X ${named[1]!}.`, 'Name the method once.');
	}

	const path = second ?? first;
	if (!path.startsWith('/') && !/^https?:\/\//.test(path)) {
		throw new UsageError(usage, example);
	}

	return {method: named[0] as HttpMethod | undefined, path};
}

/** A file's text (`-` for stdin), bounded; a missing file is a usage error naming the option. */
async function readValue(f: Factory, path: string, what: string): Promise<string> {
	const [{readText}, {createReadStream}] = await Promise.all([import('../system/read-input.js'), import('node:fs')]);
	const hint = 'LivePerson\'s APIs take bodies far smaller than this.';
	const options = {signal: f.signal, maxBytes: maxBodyBytes, what, hint};
	if (path === '-') {
		if (f.io.stdinIsTerminal || f.flags.stdin) {
			throw new UsageError(
				`${what} reads stdin, which ${f.flags.stdin ? '--stdin already read' : 'is a terminal'}.`,
				`Pipe the body in: lp-onboard api … ${what} - < body.json.`,
			);
		}

		return readText(f.io.in, options);
	}

	const stream = createReadStream(path);
	try {
		return await readText(stream, options);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === undefined) {
			throw error;
		}

		throw new UsageError(`Cannot read ${what} file ${path}: ${code}.`, `Pass ${what} a readable file, or - for stdin.`);
	} finally {
		stream.destroy();
	}
}

/** The body from --input FILE|- or --data JSON|@FILE, parsed: every LivePerson API this reaches takes JSON. */
async function readBody(f: Factory): Promise<unknown> {
	const {data, input} = f.flags;
	if (data !== undefined && input !== undefined) {
		throw new UsageError('--data and --input both give the body.', 'Pass one of them.');
	}

	const what = input === undefined ? '--data' : '--input';
	const file = input ?? (data?.startsWith('@') ? data.slice(1) : undefined);
	const text = file === undefined ? data : await readValue(f, file, what);
	if (text === undefined) {
		return undefined;
	}

	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new UsageError(
			`${what} is not JSON.`,
			'Pass a JSON body, e.g. --data \'{"loginName":"bot"}\', --data @body.json or --input body.json.',
		);
	}
}

type Request = {
	readonly method: HttpMethod;
	readonly path: string;
	readonly body: unknown;
	/** In the query: GET's fields, and every field when the body comes from --input or --data. */
	readonly query: readonly Field[];
	readonly headers: Readonly<Record<string, string>>;
};

/** Everything the command line says about the request, checked before anything is looked up or sent. */
async function requestOf(f: Factory, args: readonly string[]): Promise<Request> {
	const {flags} = f;
	const target = parseTarget(args, flags.method);
	const headers = parseHeaders(flags.headers);
	const fields = await collectFields(flags.rawFields, flags.fields, async (path, what) => readValue(f, path, what));
	const given = await readBody(f);
	const method = target.method ?? (given !== undefined || fields.length > 0 ? 'POST' : 'GET');
	if (method === 'GET' && given !== undefined) {
		throw new UsageError('A GET sends no body.', 'Drop --input/--data, or name the method: -X POST.');
	}

	const inQuery = method === 'GET' || given !== undefined;
	const body = given ?? (inQuery ? undefined : fieldsBody(fields));
	return {method, path: target.path, headers, query: inQuery ? fields : [], body};
}

/**
The exit code for an HTTP status: 0 for 2xx/3xx, 4 refused (401/403), 2 any other 4xx (the request was wrong), 5 for
5xx.
*/
export function exitCodeForStatus(status: number): ExitCode {
	if (status < 400) {
		return exitCodes.ok;
	}

	if (status === 401 || status === 403) {
		return exitCodes.auth;
	}

	return status < 500 ? exitCodes.usage : exitCodes.network;
}


/** The URL the request goes to: PATH on the domain CSDS lists for its service, or the whole URL given. */
async function urlOf(f: Factory, accountId: string, request: Request): Promise<string> {
	const path = request.path.replaceAll('{accountId}', encodeURIComponent(accountId));
	const api = await f.api();
	if (/^https?:\/\//.test(path)) {
		// A full URL gets credentials only on one of the account's hosts (or one named with --send-credentials-to): the
		// client refuses any other before it signs anything.
		api.trustDomains(await accountDomains(f, accountId));
		return withQuery(path, request.query);
	}

	const {url, domains} = await pathUrl(f, accountId, path, request.method, f.flags.service);
	api.trustDomains(domains);
	return withQuery(url, request.query);
}

/** The headers lp-onboard sends besides the Authorization (as the client sets them), for --verbose and --dry-run. */
function sentHeaders(request: Request, authorization: string): HeaderList {
	return {
		accept: 'application/json',
		'user-agent': 'lp-onboard',
		...request.headers,
		...(request.body === undefined ? {} : {'content-type': 'application/json'}),
		authorization,
	};
}

/** The OAuth 1.0 header with what may be shown: the parameters, the key shortened, the token and signature masked. */
function shownSignature(header: string): string {
	return header.replaceAll(/(oauth_\w+)="([^"]*)"/g, (_, name: string, value: string) => {
		const secret = name === 'oauth_token' || name === 'oauth_signature';
		const shown = name === 'oauth_consumer_key' ? `${value.slice(0, 4)}…` : (secret ? '****' : value);
		return `${name}="${shown}"`;
	});
}

/** --dry-run: the request as it would be signed and sent, on stdout; nothing is sent. */
async function dryRun(f: Factory, request: Request, url: string, credentials: Credentials): Promise<CommandResult> {
	const authorization = f.flags.bearer
		? 'Bearer **** (the bot\'s, after a login that a dry run does not make)'
		: (credentials.kind === 'oauth2'
			? 'Bearer **** (a Sentinel token for the OAuth 2.0 client, not fetched in a dry run)'
			: shownSignature(createOAuthSigner(credentials, f.clock)({method: request.method, url})));
	const headers = sentHeaders(request, authorization);
	const safe = Object.fromEntries(Object.entries(headers)
		.map(([name, value]) => [name, name === 'authorization' ? value : maskHeader(name, String(value))]));
	const lines = requestLines(request.method, url, safe, {prefix: '', masked: false});
	const body = request.body === undefined ? [] : ['', JSON.stringify(request.body, undefined, 2)];
	(await f.ui()).info('Dry run: nothing was sent.');
	return result([...lines, ...body], {dryRun: true, method: request.method, url, headers: safe, body: request.body});
}

type Sender = (url: string) => Promise<HttpResult>;

type Connection = {send: Sender; close(): Promise<void>};

/**
Authorizes with the profile's credentials (the port), or with --bearer logs in as its bot first (and out at the end).
*/
async function senderFor(
	f: Factory,
	accountId: string,
	request: Request,
	credentials: Credentials,
): Promise<Connection> {
	const api = await f.api();
	let auth: Auth = {authorizer: await authorizerFor(f, accountId, credentials)};
	let close = async () => {};
	if (f.flags.bearer) {
		const profile = await f.profile();
		if (!profile?.botLoginName) {
			throw new UsageError('--bearer needs the bot user the wizard set up.', 'Run lp-onboard first, or drop --bearer to use the profile\'s credentials.');
		}

		const domains = await accountDomains(f, accountId);
		const session = await api.login(
			accountId,
			domains,
			{username: profile.botLoginName, credentials},
			{signal: f.signal},
		);
		auth = {bearer: session.bearer};
		close = async () => api.logout(session, domains, {signal: f.signal});
	}

	const scheme = credentials.kind === 'oauth1' && !f.flags.bearer ? 'OAuth ****' : 'Bearer ****';
	return {
		close,
		async send(url) {
			if (f.flags.verbose) {
				f.io.err.write(`${requestLines(request.method, url, sentHeaders(request, scheme)).join('\n')}\n>\n`);
			}

			const answer = await api.send({
				method: request.method,
				url,
				what: `${request.method} ${new URL(url).pathname}`,
				auth,
				body: request.body,
				headers: request.headers,
				anyStatus: true,
				signal: f.signal,
			});
			if (f.flags.verbose) {
				f.io.err.write(`${responseLines(answer.status, answer.headers, '< ').join('\n')}\n<\n`);
			}

			return answer;
		},
	};
}

/** `_metadata.next.href`, LivePerson's link to the next page (docs/contract.md), resolved against `url`. */
export function nextPage(body: unknown, url: string): string | undefined {
	const href = (body as {_metadata?: {next?: {href?: unknown}}} | undefined)?._metadata?.next?.href;
	return typeof href === 'string' && href !== '' ? new URL(href, url).href : undefined;
}

/** One answer as stdout shows it: status line and headers with -i, the body (or its --jq outputs) unless --silent. */
async function shown(f: Factory, answer: HttpResult): Promise<string> {
	const head = f.flags.include ? [...responseLines(answer.status, answer.headers), ''] : [];
	if (f.flags.silent) {
		return head.join('\n');
	}

	const body = f.flags.jq === undefined
		? formatBody(answer.body, {terminal: f.io.stdoutIsTerminal, color: f.io.colorEnabled})
		: await (await import('./api/jq.js')).runJq(answer.body, f.flags.jq);
	return [...head, body].filter((line, index, all) => line !== '' || index < all.length - 1).join('\n');
}

/**
`lp-onboard api`: a signed call to any LivePerson API, at `gh api`'s level. Resolves the service's domain (cached CSDS
answer), fills `{accountId}`, builds the body from -f/-F, --input or --data, authorizes with the profile's credentials
(OAuth 2.0 Bearer, or a legacy OAuth 1.0 signature) or, with --bearer, logs in as the profile's bot; prints the body
(pretty and coloured at a terminal), follows `_metadata.next.href` with --paginate, and exits by the status class.
--dry-run prints the signed request instead.
*/
export const run: RunCommand = async (f, args) => {
	if (f.flags.jq !== undefined) {
		await (await import('./api/jq.js')).checkJq(f.flags.jq);
	}

	const request = await requestOf(f, args);
	const accountId = await resolveAccountId(f);
	let url = await urlOf(f, accountId, request);
	const credentials = await resolveCredentials(f, accountId);
	if (f.flags.dryRun) {
		return dryRun(f, request, url, credentials);
	}

	const sender = await senderFor(f, accountId, request, credentials);
	try {
		const pages: string[] = [];
		const seen = new Set<string>();
		let answer: HttpResult;
		for (;;) {
			seen.add(url);
			answer = await sender.send(url);
			pages.push(await shown(f, answer));
			const next = f.flags.paginate && answer.status < 300 ? nextPage(answer.body, url) : undefined;
			if (next === undefined || seen.has(next) || seen.size >= maxPages) {
				break;
			}

			url = next;
		}

		if (answer.status >= 400) {
			// A local sandbox marks the calls it does not model: its limit, not LivePerson's answer.
			const sandboxLimit = (await f.network()).local && answer.headers['x-lp-sandbox-limit'] !== undefined;
			(await f.ui()).warn(sandboxLimit
				? `The sandbox does not model ${request.method} ${new URL(url).pathname}; LivePerson does (HTTP ${answer.status} is the sandbox's limit, not LivePerson's answer).`
				: `LivePerson answered HTTP ${answer.status}.`);
		}

		return result(pages.filter(page => page !== '').join('\n'), undefined, exitCodeForStatus(answer.status));
	} finally {
		await sender.close();
	}
};
