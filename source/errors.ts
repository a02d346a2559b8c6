/**
Exit codes, documented in the README. Only `cli.tsx` turns errors into these.
*/
export const exitCodes = {
	ok: 0,
	failure: 1,
	usage: 2,
	missingInput: 3,
	auth: 4,
	network: 5,
	keychain: 6,
	partial: 7,
	refused: 8,
	/** The local environment: HOME, a config or state path that cannot be read or written, a full disk, a port in use. */
	environment: 9,
	/** Provisioning waits on a step only the LivePerson Functions UI can do (terms of use, the V2 trigger). */
	pendingUi: 10,
	/** `doctor`: at least one check failed (each printed with its fix). */
	checkFailed: 11,
	cancelled: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
An error the user can act on: a one-line message, a hint with the next step, and the exit code it maps to.
*/
export class LpError extends Error {
	override name = 'LpError';
	readonly hint: string | undefined;
	readonly exitCode: ExitCode;

	constructor(message: string, options: {hint?: string; cause?: unknown; exitCode?: ExitCode} = {}) {
		super(message, {cause: options.cause});
		this.hint = options.hint;
		this.exitCode = options.exitCode ?? exitCodes.failure;
	}
}

/** Bad flags, bad values, bad files: the user typed something we cannot use. */
export class UsageError extends LpError {
	override name = 'UsageError';

	constructor(message: string, hint?: string) {
		super(message, {hint, exitCode: exitCodes.usage});
	}
}

/** A value was needed, there is no terminal to ask on, and neither its flag nor its env var was set. */
export class MissingInputError extends LpError {
	override name = 'MissingInputError';

	readonly flag: string | undefined;
	readonly env: string | undefined;

	/** `hint`: instead of "Pass FLAG or the ENV environment variable." */
	constructor(what: string, flag: string | undefined, env: string | undefined, hint?: string) {
		const sources = [flag, env ? `the ${env} environment variable${env.includes(' ') ? 's' : ''}` : undefined].filter(Boolean).join(' or ');
		super(`Missing ${what}: there is no terminal to ask on.`, {
			hint: hint ?? (sources ? `Pass ${sources}.` : 'Run it in a terminal.'),
			exitCode: exitCodes.missingInput,
		});
		this.flag = flag;
		this.env = env;
	}
}

/** An HTTP call that finally failed (after the retry policy). Never carries request headers or bodies. */
export class HttpError extends LpError {
	override name = 'HttpError';

	readonly status: number | undefined;
	/** The service's own error code, e.g. `com.liveperson.faas.self-service.pending`. */
	readonly code: string | undefined;

	constructor(
		message: string,
		status: number | undefined,
		options: {hint?: string; cause?: unknown; code?: string} = {},
	) {
		super(message, {
			hint: options.hint,
			cause: options.cause,
			exitCode: status === 401 || status === 403 ? exitCodes.auth : exitCodes.network,
		});
		this.status = status;
		this.code = options.code;
	}
}

export class KeychainUnavailableError extends LpError {
	override name = 'KeychainUnavailableError';

	constructor(reason: string, options: {cause?: unknown; fix?: string} = {}) {
		super(`The OS keychain is not available: ${reason}.`, {
			cause: options.cause,
			exitCode: exitCodes.keychain,
			hint:
				`${options.fix ?? 'On Linux, install and unlock a Secret Service (e.g. `apt-get install gnome-keyring` and run inside `dbus-run-session`).'} `
				+ 'Or keep the credentials in LP_CLIENT_ID and LP_CLIENT_SECRET (a legacy key: LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET), '
				+ 'or pass --insecure-storage to keep them in a 0600 file.',
		});
	}
}

/**
The local environment is in the way: a path that cannot be read or written, a full disk, a lock another run holds.
The message names the path, the hint the fix.
*/
export class EnvironmentError extends LpError {
	override name = 'EnvironmentError';

	readonly path: string | undefined;

	constructor(message: string, hint: string, options: {path?: string; cause?: unknown} = {}) {
		super(message, {hint, cause: options.cause, exitCode: exitCodes.environment});
		this.path = options.path;
	}
}

/** The user pressed Ctrl-C or closed the prompt. */
export class CancelledError extends LpError {
	override name = 'CancelledError';

	constructor(message = 'Cancelled.') {
		super(message, {exitCode: exitCodes.cancelled, hint: 'Run the same command again to continue where it stopped.'});
	}
}

/** The account or user may not do this (e.g. provisioning without admin rights). Nothing was changed. */
export class RefusedError extends LpError {
	override name = 'RefusedError';

	constructor(message: string, hint: string) {
		super(message, {hint, exitCode: exitCodes.refused});
	}
}
