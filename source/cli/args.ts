import {parseArgs} from 'node:util';
import {type AccountId, parseAccountId} from '../account-id.js';
import {UsageError} from '../errors.js';
import {clientEnvList, credentialEnvList} from '../liveperson/credentials.js';

export const commands = ['wizard', 'api', 'auth', 'domains', 'provision', 'status', 'logout', 'sandbox', 'doctor'] as const;
export type Command = (typeof commands)[number];

const options = {
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	json: {type: 'boolean'},
	profile: {type: 'string'},
	sandbox: {type: 'boolean'},
	demo: {type: 'boolean'},
	'csds-url': {type: 'string'},
	account: {type: 'string'},
	accounts: {type: 'string'},
	'bot-name': {type: 'string'},
	'login-method': {type: 'string'},
	'auth-method': {type: 'string'},
	username: {type: 'string'},
	'insecure-storage': {type: 'boolean'},
	stdin: {type: 'boolean'},
	yes: {type: 'boolean', short: 'y'},
	'dry-run': {type: 'boolean'},
	resume: {type: 'boolean'},
	'no-resume': {type: 'boolean'},
	'functions-version': {type: 'string'},
	'show-privileges': {type: 'boolean'},
	'skip-provisioning': {type: 'boolean'},
	concurrency: {type: 'string'},
	nonce: {type: 'string'},
	timestamp: {type: 'string'},
	port: {type: 'string'},
	service: {type: 'string'},
	data: {type: 'string'},
	bearer: {type: 'boolean'},
	curl: {type: 'boolean'},
	tls: {type: 'boolean'},
	timeout: {type: 'string'},
} as const;

export type Flags = {
	readonly help: boolean;
	readonly version: boolean;
	readonly json: boolean;
	readonly profile: string;
	readonly sandbox: boolean;
	/** With --sandbox: answer the account and API key with the sandbox's demo values. */
	readonly demo: boolean;
	readonly csdsUrl?: string;
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
};

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
Parses the command line without touching `process`. Unknown commands and options, and secrets passed as flags, are usage errors.
*/
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CommandLine {
	for (const argument of argv) {
		const name = argument.split('=')[0]!;
		if (secretFlags.has(name)) {
			throw new UsageError(
				`${name} is not accepted: secrets on the command line end up in shell history and process lists.`,
				`Set it in the environment (${clientEnvList}, ${credentialEnvList}, LP_PASSWORD), pipe KEY=VALUE lines with --stdin, or answer the prompt.`,
			);
		}
	}

	let parsed;
	try {
		parsed = parseArgs({args: [...argv], options, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '.'), 'See lp-onboard --help.');
	}

	const {values, positionals} = parsed;
	const [first, ...rest] = positionals;
	let command: Command = 'wizard';
	if (first !== undefined) {
		if (!(commands as readonly string[]).includes(first) || first === 'wizard') {
			throw new UsageError(`Unknown command "${first}".`, `Commands: ${commands.filter(c => c !== 'wizard').join(', ')}. See lp-onboard --help.`);
		}

		command = first as Command;
	}

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

		if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search) {
			throw new UsageError(`--csds-url must be an http(s) origin like https://api.liveperson.net, not "${csdsUrl}".`, 'Pass --csds-url or LP_CSDS_URL without a path.');
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
		account: values.account === undefined ? undefined : parseAccountId(values.account, '--account'),
		accounts: values.accounts,
		botName: values['bot-name'],
		loginMethod: oneOf('--login-method', values['login-method'], ['api-key', 'password'] as const),
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
		timeoutMs: integer('--timeout', values.timeout, {min: 1, max: 600}) === undefined ? undefined : Number(values.timeout) * 1000,
	};

	return {command, args: rest, flags};
}
