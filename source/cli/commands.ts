// What every command accepts, declared once per command beside the global options: the parser (args.ts), the help
// pages (help.ts), the shell completion scripts (completion.ts) and the README's table all read these declarations.
// Plain data, so `--help` and the parser load nothing of the commands themselves.

export type OptionSpec = {
	readonly type: 'string' | 'boolean';
	readonly short?: string;
	/** Repeatable: every occurrence is kept, in order. */
	readonly multiple?: boolean;
	/** The value's name in help: `--account ID`. */
	readonly value?: string;
	readonly help: string;
	/** The values a shell may complete; `file` completes paths. */
	readonly complete?: readonly string[] | 'file';
};

export type Options = Readonly<Record<string, OptionSpec>>;

export type Example = {readonly comment: string; readonly command: string};

export type CommandSpec = {
	/** After `lp-onboard `: what the command takes (`api [METHOD] PATH`). */
	readonly usage: string;
	/** One line for the list of commands. */
	readonly summary: string;
	/** More about it, one paragraph a string. */
	readonly about?: readonly string[];
	readonly options: Options;
	/** Words a shell may complete as the first argument (`auth header`, `completion bash`). */
	readonly words?: readonly string[];
	/** Each runs as pasted: quoted for any shell, with `--sandbox` where it needs no LivePerson account. */
	readonly examples: readonly Example[];
};

export const commands = [
	'wizard', 'api', 'auth', 'domains', 'provision', 'status', 'logout', 'sandbox', 'doctor', 'help', 'completion',
] as const;
export type Command = (typeof commands)[number];

/** Accepted by every command, before or after its name. */
export const globalOptions = {
	profile: {type: 'string', value: 'NAME', help: 'keep several setups apart (env LP_PROFILE, default "default")'},
	sandbox: {type: 'boolean', help: 'run against an in-process LivePerson sandbox instead of LivePerson'},
	demo: {
		type: 'boolean',
		help: 'with --sandbox: use the demo account 12345678 and its credentials (env LP_SANDBOX_DEMO=1)',
	},
	'csds-url': {
		type: 'string',
		value: 'URL',
		help: 'CSDS origin (env LP_CSDS_URL, default https://api.liveperson.net); https, or http on 127.0.0.1 or *.test; this run only',
	},
	stdin: {
		type: 'boolean',
		help: 'read secrets as KEY=VALUE lines from stdin (LP_CLIENT_ID, LP_CLIENT_SECRET, LP_APP_KEY, LP_APP_SECRET, '
			+ 'LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET, LP_PASSWORD)',
	},
	'insecure-storage': {type: 'boolean', help: 'keep credentials in a 0600 file when no OS keychain is available'},
	timeout: {type: 'string', value: 'SECONDS', help: 'per-request timeout (default 10)'},
	json: {type: 'boolean', help: 'machine-readable result on stdout'},
	help: {type: 'boolean', short: 'h', help: 'this help, or a command\'s with COMMAND --help'},
	version: {type: 'boolean', short: 'v', help: 'the version of lp-onboard'},
} as const satisfies Options;

const account = {type: 'string', value: 'ID', help: 'LivePerson account id (env LP_ACCOUNT_ID)'} as const;
const yes = {type: 'boolean', short: 'y', help: 'do not ask for confirmation (env LP_YES=1)'} as const;
const sendCredentialsTo = {
	type: 'string',
	multiple: true,
	value: 'HOST',
	help: 'a full URL on HOST may get the credentials (only the account\'s CSDS hosts do otherwise)',
} as const;
const username = {
	type: 'string',
	value: 'NAME',
	help: 'admin login for provisioning (env LP_USERNAME; password from LP_PASSWORD, --stdin or prompt)',
} as const satisfies OptionSpec;
const functionsVersion = {
	type: 'string',
	value: 'N',
	help: '1 or 2 (default: detected from the account\'s faasGW domain)',
	complete: ['1', '2'],
} as const satisfies OptionSpec;

// Users API v6.0 takes the OAuth 2.0 token (the default credentials, the demo's too); v4.0 an OAuth 1.0 signature.
const users = '\'/api/account/{accountId}/configuration/le-users/users?v=6.0\'';

export const specs = {
	wizard: {
		usage: '[options]',
		summary: 'the wizard (account → domains → credentials → bot user → provisioning)',
		options: {
			account,
			'bot-name': {type: 'string', value: 'NAME', help: 'bot user login name (env LP_BOT_NAME, default lp-onboard-bot)'},
			'login-method': {
				type: 'string',
				value: 'METHOD',
				help: 'credentials (the bot logs in with the OAuth 2.0 client or legacy key; api-key, its older name, works too) or password (env LP_LOGIN_METHOD)',
				complete: ['credentials', 'password'],
			},
			'auth-method': {
				type: 'string',
				value: 'METHOD',
				help: 'oauth2 (client credentials, the default) or oauth1 (legacy API key, end of life 2026-05-31)',
				complete: ['oauth2', 'oauth1'],
			},
			username,
			yes,
			'skip-provisioning': {type: 'boolean', help: 'stop after the bot user'},
			'functions-version': functionsVersion,
			'dry-run': {type: 'boolean', help: 'provisioning step: show what would change, change nothing'},
			'save-csds-url': {type: 'boolean', help: 'keep --csds-url in the profile for later commands (else for this run only)'},
		},
		examples: [
			{
				comment: 'Account, credentials and bot user on the embedded sandbox, with its demo account',
				command: 'lp-onboard --sandbox --demo --skip-provisioning',
			},
			{comment: 'A real account, asking for what is missing', command: 'lp-onboard --account 12345678'},
		],
	},
	api: {
		usage: 'api [METHOD] PATH [options]',
		summary: 'a signed call to any LivePerson API',
		about: [
			'PATH starts with / (the service\'s domain comes from CSDS, {accountId} is filled in) or is a whole https:// URL. '
			+ 'METHOD is GET, or POST when fields or a body are given.',
			'The body is printed as it came; JSON is pretty and coloured at a terminal. The exit code follows the status: '
			+ '0 for 2xx/3xx, 4 for 401/403, 2 for other 4xx, 5 for 5xx.',
		],
		options: {
			account,
			method: {
				type: 'string',
				short: 'X',
				value: 'METHOD',
				help: 'the HTTP method (default GET, or POST with fields)',
				complete: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
			},
			'raw-field': {
				type: 'string',
				short: 'f',
				multiple: true,
				value: 'KEY=VALUE',
				help: 'a string field: in the JSON body, or the query for GET',
			},
			field: {
				type: 'string',
				short: 'F',
				multiple: true,
				value: 'KEY=VALUE',
				help: 'a typed field: true, false, null and numbers as JSON, @FILE for a file\'s text; else as -f',
			},
			header: {type: 'string', short: 'H', multiple: true, value: "'NAME: VALUE'", help: 'an extra request header'},
			input: {type: 'string', value: 'FILE', help: 'the request body from a file, or - for stdin', complete: 'file'},
			data: {type: 'string', value: 'JSON|@FILE', help: 'a JSON body, or @FILE to read it (@- for stdin)'},
			include: {type: 'boolean', short: 'i', help: 'print the status line and the response headers first'},
			jq: {
				type: 'string',
				short: 'q',
				value: 'EXPR',
				help: 'filter the JSON answer with a jq expression (the jq language)',
			},
			paginate: {type: 'boolean', help: 'follow _metadata.next.href until the last page; print every page'},
			silent: {type: 'boolean', help: 'print no response body'},
			verbose: {type: 'boolean', help: 'print the request and response lines and headers on stderr, secrets masked'},
			'dry-run': {type: 'boolean', help: 'print the signed request and send nothing'},
			service: {type: 'string', value: 'NAME', help: 'the CSDS service whose domain PATH is sent to (lp-onboard domains)'},
			bearer: {type: 'boolean', help: 'log in as the profile\'s bot and send its bearer instead of signing'},
			'send-credentials-to': sendCredentialsTo,
		},
		examples: [
			{
				comment: 'Every user of the sandbox\'s demo account, login names only',
				command: `lp-onboard --sandbox --demo api GET ${users} --jq '.[].loginName'`,
			},
			{
				comment: 'What a POST would send, signed, without sending it',
				command: `lp-onboard --sandbox --demo api POST ${users} -f loginName=bot2 -F isEnabled=true --dry-run`,
			},
			{comment: 'The status line and headers, then the body', command: `lp-onboard --sandbox --demo api -i ${users}`},
		],
	},
	auth: {
		usage: 'auth header METHOD URL|PATH | auth token [options]',
		summary: 'print the Authorization header (or a curl command) for a request, or the OAuth 2.0 access token',
		words: ['header', 'token'],
		options: {
			account,
			curl: {type: 'boolean', help: 'print a curl command instead of the header line'},
			'send-credentials-to': sendCredentialsTo,
			nonce: {type: 'string', value: 'TEXT', help: 'fix the nonce, for reproducible output'},
			timestamp: {type: 'string', value: 'SECONDS', help: 'fix the timestamp, for reproducible output'},
		},
		examples: [
			{
				comment: 'The OAuth 2.0 access token of the sandbox\'s demo client',
				command: 'lp-onboard --sandbox --demo auth token --account 12345678',
			},
			{
				comment: 'A curl command for the users of the profile\'s account, with its credentials',
				command: 'lp-onboard auth header GET '
					+ '\'https://va.ac.liveperson.net/api/account/12345678/configuration/le-users/users?v=6.0\' --curl',
			},
		],
	},
	domains: {
		usage: 'domains [options]',
		summary: 'every service domain of an account (one CSDS call)',
		options: {account},
		examples: [
			{comment: 'The sandbox\'s demo account, as a table', command: 'lp-onboard --sandbox domains --account 12345678'},
			{comment: 'As JSON, for a script', command: 'lp-onboard --sandbox domains --account 12345678 --json'},
		],
	},
	provision: {
		usage: 'provision [options]',
		summary: 'provision LivePerson Functions for one account or many',
		options: {
			account,
			accounts: {type: 'string', value: 'FILE', help: 'many accounts, one id a line or CSV', complete: 'file'},
			username,
			yes,
			'dry-run': {type: 'boolean', help: 'show what would change, change nothing'},
			resume: {type: 'boolean', help: 'continue an interrupted run\'s checkpoint (the default)'},
			'no-resume': {type: 'boolean', help: 'ignore an interrupted run\'s checkpoint'},
			'functions-version': functionsVersion,
			'show-privileges': {type: 'boolean', help: 'list the privileges of the default app keys'},
			concurrency: {type: 'string', value: 'N', help: 'with --accounts: accounts at once (default 3)'},
		},
		examples: [
			{
				comment: 'What provisioning the sandbox\'s demo account would do',
				command: 'LP_PASSWORD=sandbox-admin-pass lp-onboard --sandbox provision --account 12345678 --username admin '
					+ '--dry-run',
			},
			{comment: 'The privileges the default app keys get', command: 'lp-onboard provision --show-privileges'},
		],
	},
	status: {
		usage: 'status [options]',
		summary: 'profile, account, where each credential comes from, whether it works',
		options: {},
		examples: [{comment: 'The sandbox profile\'s state, as JSON', command: 'lp-onboard --sandbox status --json'}],
	},
	logout: {
		usage: 'logout [options]',
		summary: 'remove every keychain item and state this tool wrote for the profile',
		options: {},
		examples: [{comment: 'Forget a second profile', command: 'lp-onboard logout --profile work'}],
	},
	sandbox: {
		usage: 'sandbox [options]',
		summary: 'run the embedded LivePerson sandbox and print its URL and demo logins',
		options: {
			port: {type: 'string', value: 'N', help: 'the port to listen on (default: any free one)'},
			tls: {type: 'boolean', help: 'serve https with a certificate from the sandbox\'s own CA (its path is printed)'},
		},
		examples: [
			{comment: 'On a fixed port, until Ctrl-C', command: 'lp-onboard sandbox --port 8080'},
			{comment: 'Over https, for clients that speak only https (node-agent-sdk, lpf)', command: 'lp-onboard sandbox --tls'},
		],
	},
	doctor: {
		usage: 'doctor [options]',
		summary: 'check Node, keychain, clock skew, proxy and CSDS reachability',
		options: {},
		examples: [{comment: 'Every check, against the sandbox', command: 'lp-onboard --sandbox doctor'}],
	},
	help: {
		usage: 'help [COMMAND]',
		summary: 'this help, or a command\'s options and examples',
		words: commands.filter(name => name !== 'wizard'),
		options: {},
		examples: [{comment: 'The options of api', command: 'lp-onboard help api'}],
	},
	completion: {
		usage: 'completion bash|zsh|fish',
		summary: 'a shell completion script for commands and their options',
		words: ['bash', 'zsh', 'fish'],
		options: {},
		examples: [
			{comment: 'bash: load it in every new shell', command: 'echo \'source <(lp-onboard completion bash)\' >> ~/.bashrc'},
			{comment: 'zsh', command: 'echo \'source <(lp-onboard completion zsh)\' >> ~/.zshrc'},
			{comment: 'fish', command: 'lp-onboard completion fish > ~/.config/fish/completions/lp-onboard.fish'},
		],
	},
} as const satisfies Record<Command, CommandSpec>;

/** Every option a command accepts: the global ones and its own. */
export function optionsOf(command: Command): Options {
	return {...globalOptions, ...specs[command].options};
}

/** The commands that declare `name` (an option's long name) as their own. */
export function ownersOf(name: string): Command[] {
	return commands.filter(command => name in specs[command].options);
}
