import {parseArgs} from 'node:util';
import {type AccountId, parseAccountId} from '../account-id.js';
import {UsageError} from '../errors.js';
import {clientEnvList, credentialEnvList, loginMethodOf} from '../liveperson/credentials.js';
import {isBareHost, mayUsePlainHttp} from '../liveperson/hosts.js';
import {type Command, commands, globalOptions, optionsOf, ownersOf, type Options, specs} from './commands.js';
import {closest} from './suggest.js';

export {commands, type Command} from './commands.js';
export type Flags = {
	readonly help: boolean;
	readonly version: boolean;
	readonly json: boolean;
	readonly profile: string;
	readonly sandbox: boolean;
	/** With --sandbox: answer the account and API key with the sandbox's demo values. */
	readonly demo: boolean;
	readonly csdsUrl?: string;
	/** wizard: keep `--csds-url` in the profile for later commands (a one-off URL is never saved otherwise). */
	readonly saveCsdsUrl: boolean;
	/** Hosts (`host[:port]`) besides the account's CSDS hosts that may receive credentials (`api` with a full URL). */
	readonly sendCredentialsTo: readonly string[];
	readonly account?: AccountId;
	readonly accounts?: string;
	readonly botName?: string;
	readonly loginMethod?: 'api-key' | 'password';
	/** The wizard's credentials step: OAuth 2.0 client credentials (the default) or a legacy OAuth 1.0 key. */
	readonly authMethod?: 'oauth2' | 'oauth1';
	readonly username?: string;
	readonly insecureStorage: boolean;
	readonly stdin: boolean;
	readonly yes: boolean;
	readonly dryRun: boolean;
	/** provision: report what an interrupted earlier run already did (default); `--no-resume` starts the report afresh. */
	readonly resume: boolean;
	readonly functionsVersion?: 1 | 2;
	readonly showPrivileges: boolean;
	readonly skipProvisioning: boolean;
	readonly concurrency?: number;
	readonly nonce?: string;
	readonly timestamp?: number;
	readonly port?: number;
	/** api: the CSDS service whose domain the path is sent to. */
	readonly service?: string;
	/** api: a JSON body, or `@FILE` to read it from a file (`@-` for stdin). */
	readonly data?: string;
	/** api: log in as the profile's bot and send its bearer instead of signing with OAuth 1.0. */
	readonly bearer: boolean;
	/** auth header: print a curl command instead of the header line. */
	readonly curl: boolean;
	/** sandbox: serve https with a certificate from the sandbox's own CA. */
	readonly tls: boolean;
	readonly timeoutMs?: number;
	/** api: -X/--method. */
	readonly method?: string;
	/** api: -f/--raw-field KEY=VALUE, in order. */
	readonly rawFields: readonly string[];
	/** api: -F/--field KEY=VALUE (typed), in order. */
	readonly fields: readonly string[];
	/** api: -H/--header 'NAME: VALUE', in order. */
	readonly headers: readonly string[];
	/** api: --input FILE, `-` for stdin. */
	readonly input?: string;
	readonly include: boolean;
	readonly jq?: string;
	readonly paginate: boolean;
	readonly silent: boolean;
	readonly verbose: boolean;
};

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void
	? I
	: never;
type ValueOf<S> = S extends {multiple: true} ? string[] : (S extends {type: 'string'} ? string : boolean);
type ValuesOf<O> = {[K in keyof O]?: ValueOf<O[K]>};
type Declared = typeof globalOptions | (typeof specs)[Command]['options'];
/** What util.parseArgs hands back for any command's options, typed from the declarations. */
type ParsedValues = UnionToIntersection<Declared extends infer O ? (O extends unknown ? ValuesOf<O> : never) : never>;

export type CommandLine = {
	readonly command: Command;
	readonly args: readonly string[];
	readonly flags: Flags;
};

const secretFlags = new Set(['--app-key', '--app-secret', '--secret', '--access-token', '--access-token-secret', '--password', '--token', '--client-secret']);

function integer(flag: string, value: string | undefined, {min, max}: {min: number; max: number}): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
		throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`, 'See lp-onboard --help.');
	}

	return Number(value);
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!(allowed as readonly string[]).includes(value)) {
		throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}".`, 'See lp-onboard --help.');
	}

	return value as T;
}

/**
Parses the command line without touching `process`: the command, then the global options and the command's own (an
option of another command is an error naming this one's). Unknown commands and options, and secrets passed as flags,
are usage errors with a "did you mean" where one is close.
*/
export function parseCommandLine(
	argv: readonly string[],
	env: Readonly<Record<string, string | undefined>> = {},
): CommandLine {
	for (const argument of argv) {
		const name = argument.split('=')[0]!;
		if (secretFlags.has(name)) {
			throw new UsageError(
				`${name} is not accepted: secrets on the command line end up in shell history and process lists.`,
				`Set it in the environment (${clientEnvList}, ${credentialEnvList}, LP_PASSWORD), pipe KEY=VALUE lines with --stdin, or answer the prompt.`,
			);
		}
	}

	const {command, rest} = findCommand(argv);
	const {values, positionals: args} = parseOptions(command, rest);
	const profile = values.profile ?? env['LP_PROFILE'] ?? 'default';
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(profile)) {
		throw new UsageError(`Profile "${profile}" is not a valid name.`, 'Use letters, digits, "-" and "_" (at most 64).');
	}

	const csdsUrl = values['csds-url'] ?? env['LP_CSDS_URL'];
	if (csdsUrl !== undefined) {
		let url: URL | undefined;
		try {
			url = new URL(csdsUrl);
		} catch {}

		if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
			throw new UsageError(`--csds-url must be an http(s) origin like https://api.liveperson.net, not "${csdsUrl}".`, 'Pass --csds-url or LP_CSDS_URL without a path.');
		}

		if (url.username || url.password) {
			// Never echoed: what stands before the @ is a password.
			throw new UsageError(`--csds-url for ${url.host} carries a user name or password.`, 'CSDS needs none: pass the URL without them.');
		}

		if (url.protocol === 'http:' && !mayUsePlainHttp(url.hostname)) {
			throw new UsageError(`--csds-url must be https for ${url.host}.`, 'Plain http is only for a sandbox (127.0.0.1, or a *.test name).');
		}
	}

	const sendCredentialsTo = values['send-credentials-to'] ?? [];
	for (const host of sendCredentialsTo) {
		if (!isBareHost(host) && !/^\[[\d:a-f.]+\](?::\d{1,5})?$/i.test(host)) {
			throw new UsageError(`--send-credentials-to takes a host[:port], not "${host.slice(0, 80)}".`, 'For example: --send-credentials-to api.example.com');
		}
	}

	if (values.resume && values['no-resume']) {
		throw new UsageError('--resume and --no-resume cannot be used together.', 'Resuming is the default; pass --no-resume to ignore an earlier run\'s checkpoint.');
	}

	if (values.demo && !values.sandbox) {
		throw new UsageError('--demo only works with --sandbox.', 'Run lp-onboard --sandbox --demo.');
	}

	if (values.sandbox && csdsUrl !== undefined && values['csds-url'] !== undefined) {
		throw new UsageError('--sandbox and --csds-url cannot be used together.', '--sandbox starts its own CSDS; drop one of them.');
	}

	const functionsVersion = oneOf('--functions-version', values['functions-version'], ['1', '2'] as const);
	const flags: Flags = {
		help: values.help ?? false,
		version: values.version ?? false,
		json: values.json ?? false,
		profile,
		sandbox: values.sandbox ?? false,
		demo: values.demo ?? false,
		csdsUrl: values.sandbox ? undefined : csdsUrl?.replace(/\/$/, ''),
		saveCsdsUrl: values['save-csds-url'] ?? false,
		sendCredentialsTo,
		account: values.account === undefined ? undefined : parseAccountId(values.account, '--account'),
		accounts: values.accounts,
		botName: values['bot-name'],
		// `credentials` (the OAuth 2.0 client or the legacy key); `api-key` is its older name, still taken.
		loginMethod: loginMethodOf(oneOf('--login-method', values['login-method'], ['credentials', 'password', 'api-key'] as const)),
		authMethod: oneOf('--auth-method', values['auth-method'], ['oauth2', 'oauth1'] as const),
		username: values.username,
		insecureStorage: values['insecure-storage'] ?? false,
		stdin: values.stdin ?? false,
		yes: values.yes ?? false,
		dryRun: values['dry-run'] ?? false,
		resume: !values['no-resume'],
		functionsVersion: functionsVersion === undefined ? undefined : (Number(functionsVersion) as 1 | 2),
		showPrivileges: values['show-privileges'] ?? false,
		skipProvisioning: values['skip-provisioning'] ?? false,
		concurrency: integer('--concurrency', values.concurrency, {min: 1, max: 16}),
		nonce: values.nonce,
		timestamp: integer('--timestamp', values.timestamp, {min: 1, max: 99_999_999_999}),
		port: integer('--port', values.port, {min: 0, max: 65_535}),
		service: values.service,
		data: values.data,
		bearer: values.bearer ?? false,
		curl: values.curl ?? false,
		tls: values.tls ?? false,
		method: values.method,
		rawFields: values['raw-field'] ?? [],
		fields: values.field ?? [],
		headers: values.header ?? [],
		input: values.input,
		include: values.include ?? false,
		jq: values.jq,
		paginate: values.paginate ?? false,
		silent: values.silent ?? false,
		verbose: values.verbose ?? false,
		timeoutMs: integer('--timeout', values.timeout, {min: 1, max: 600}) === undefined ? undefined : Number(values.timeout) * 1000,
	};

	return {command, args, flags};
}

const commandHint = 'See lp-onboard --help.';
const named = commands.filter(name => name !== 'wizard');

/** A global option that takes a value, by any spelling (`--profile`, `-x`), so the command word is found after it. */
function takesValue(argument: string): boolean {
	const name = argument.startsWith('--') ? argument.slice(2) : argument.slice(1);
	return Object.entries(globalOptions as Options)
		.some(([long, spec]) => spec.type === 'string' && (long === name || spec.short === name));
}

/**
The command word and the rest of the line. Global options may come first; a word right after an option this scan does
not know (`--account 123`) is taken as that option's value unless it names a command. No command word is the wizard.
*/
function findCommand(argv: readonly string[]): {command: Command; rest: string[]} {
	let afterUnknown = false;
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--') {
			break;
		}

		if (argument.startsWith('-') && argument !== '-') {
			const inline = argument.includes('=');
			const known = inline || takesValue(argument) || argument.slice(2) in globalOptions;
			index += !inline && takesValue(argument) ? 1 : 0;
			afterUnknown = !known;
			continue;
		}

		if ((named as readonly string[]).includes(argument)) {
			return {command: argument as Command, rest: [...argv.slice(0, index), ...argv.slice(index + 1)]};
		}

		if (!afterUnknown) {
			const guess = closest(argument, named);
			throw new UsageError(
				`Unknown command "${argument.slice(0, 40)}".${guess ? ` Did you mean ${guess}?` : ''}`,
				`Commands: ${named.join(', ')}. ${commandHint}`,
			);
		}

		afterUnknown = false;
	}

	return {command: 'wizard', rest: [...argv]};
}

const and = (names: readonly string[]) =>
	(names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`);

function optionList(options: Options): string {
	return Object.entries(options)
		.map(([long, spec]) => (spec.short ? `-${spec.short}/--${long}` : `--${long}`))
		.join(', ');
}

/** The message for an option `command` does not take: whose it is, the nearest of its own, and the list of its own. */
function unknownOption(command: Command, given: string): UsageError {
	const where = command === 'wizard' ? 'lp-onboard (the wizard)' : `lp-onboard ${command}`;
	const name = given.replace(/^-+/, '').split('=')[0]!;
	const owners = given.startsWith('--') ? ownersOf(name).filter(owner => owner !== command) : [];
	const guess = given.startsWith('--') ? closest(name, Object.keys(optionsOf(command))) : undefined;
	const own = Object.keys(specs[command].options).length > 0
		? `${optionList(specs[command].options)}, and the global ones`
		: 'only the global ones';
	const whose = owners.length > 0
		? ` It is an option of ${and(owners.map(owner => (owner === 'wizard' ? 'the wizard' : owner)))}.`
		: '';
	return new UsageError(
		`Unknown option '${given}' for ${where}.${whose}${guess ? ` Did you mean --${guess}?` : ''}`,
		`Its options: ${own}. See ${command === 'wizard' ? 'lp-onboard --help' : `lp-onboard ${command} --help`}.`,
	);
}

function parseOptions(command: Command, argv: string[]) {
	const options = Object.fromEntries(Object.entries(optionsOf(command)).map(([long, spec]) => [long, {
		type: spec.type,
		...(spec.short ? {short: spec.short} : {}),
		...(spec.multiple ? {multiple: true} : {}),
	}]));
	try {
		const {values, positionals} = parseArgs({args: argv, options, allowPositionals: true, strict: true});
		return {values: values as ParsedValues, positionals};
	} catch (error) {
		const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message);
		if (unknown) {
			throw unknownOption(command, unknown[1]!);
		}

		const hint = command === 'wizard' ? commandHint : `See lp-onboard ${command} --help.`;
		throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '.'), hint);
	}
}
