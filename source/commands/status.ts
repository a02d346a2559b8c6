import {exitCodes} from '../errors.js';
import {columns, wrapWords} from '../ui/text.js';
import {type RunCommand, result} from './command.js';
import type {ConfigStore} from '../config/config-store.js';
import {HttpError, LpError} from '../errors.js';
import type {LivePersonApi} from '../liveperson/types.js';
import {promptSources} from '../prompts/prompter.js';
import {findCredentials, unreadableCredentials, type SecretStore} from '../secrets/secret-store.js';
import {credentialEnv, credentialFields, credentialLabels, redact, type CredentialField, type Credentials} from '../liveperson/credentials.js';

export type {CredentialField} from '../liveperson/credentials.js';

/** Where a credential value was found. `memory` only in tests and dry runs; `unavailable`: the keychain could not be read. */
export type CredentialSource = 'env' | 'keychain' | 'file' | 'memory' | 'missing' | 'unavailable';

export type CredentialStatus = {
	readonly source: CredentialSource;
	/** `redact(value)`: enough to recognise it, never the value. */
	readonly preview: string | undefined;
};

export type StatusReport = {
	readonly profile: string;
	/** The profile is a `--sandbox` one, from the sandbox's own state; else a real (LivePerson) one. */
	readonly sandbox: boolean;
	readonly accountId: string | undefined;
	readonly accountSource: 'env' | 'config' | 'missing';
	readonly botLoginName: string | undefined;
	readonly loginMethod: 'api-key' | 'password' | undefined;
	readonly completedSteps: readonly string[];
	readonly credentials: Readonly<Record<CredentialField, CredentialStatus>>;
	/** `undefined` when it was not tried (no api, no account, a value missing) or could not be decided (network). */
	readonly signedCallWorks: boolean | undefined;
	/** Why the signed call failed or was not decided. */
	readonly signedCallDetail: string | undefined;
	/** Credentials sit in a plain 0600 file instead of the OS keychain. */
	readonly insecureStorage: boolean;
	readonly warnings: readonly string[];
};

export type StatusOptions = {
	readonly config: ConfigStore;
	readonly secrets: SecretStore;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly profile: string;
	/** The store and config are the sandbox's own (`--sandbox`). */
	readonly sandbox?: boolean;
	/** Without it, `status` stays offline and `signedCallWorks` is `undefined`. */
	readonly api?: LivePersonApi;
	readonly signal?: AbortSignal;
};

/**
What is set up for a profile: the account, where each credential comes from (env wins over the store, as in every command),
and, when `api` is given, whether a signed Users API call works with them right now.
*/
export async function runStatus({config, secrets, env, profile, sandbox = false, api, signal}: StatusOptions): Promise<StatusReport> {
	const state = (await config.load()).profiles[profile] ?? {};
	const envAccount = env[promptSources['account-id'].env!];
	const accountId = envAccount ?? state.accountId;
	const found = await findCredentials(env, secrets, {profile, accountId});
	const credentials = {} as Record<CredentialField, CredentialStatus>;
	const values: Partial<Record<CredentialField, string>> = {};
	for (const field of credentialFields) {
		const {value, source} = found[field];
		values[field] = value;
		credentials[field] = {source, preview: value ? redact(value) : undefined};
	}

	const warnings: string[] = [];
	const insecureStorage = secrets.kind === 'file' || state.storage === 'file';
	if (insecureStorage) {
		warnings.push('Credentials are kept in a plain file (mode 0600), not the OS keychain. Anyone who can read your home directory as you can use them.');
	}

	const unreadable = unreadableCredentials(found);
	if (unreadable) {
		warnings.push(`${unreadable.message} ${unreadable.hint ?? ''}`.trim());
	}

	const missing = credentialFields.filter(field => !values[field]);
	let signedCallWorks: boolean | undefined;
	let signedCallDetail: string | undefined;
	if (!accountId) {
		signedCallDetail = `no account yet: run lp-onboard${sandbox ? ' --sandbox' : ''}`;
	} else if (unreadable) {
		signedCallDetail = 'not checked: the keychain could not be read';
	} else if (missing.length > 0) {
		signedCallDetail = `missing ${missing.map(field => credentialEnv[field]).join(', ')}`;
	} else if (api) {
		try {
			const cached = state.accountId === accountId ? state.domains?.map : undefined;
			const domains = cached?.['accountConfigReadOnly'] ? cached : await api.domains(accountId, {signal});
			await api.listUsers(accountId, domains, {oauth: values as Credentials}, {signal});
			signedCallWorks = true;
		} catch (error) {
			if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
				signedCallWorks = false;
				signedCallDetail = `LivePerson answered HTTP ${error.status}`;
			} else {
				signedCallDetail = error instanceof LpError || error instanceof Error ? error.message : String(error);
			}
		}
	} else {
		signedCallDetail = 'not checked (offline)';
	}

	return {
		profile,
		sandbox,
		accountId,
		accountSource: envAccount ? 'env' : (state.accountId ? 'config' : 'missing'),
		botLoginName: state.botLoginName,
		loginMethod: state.loginMethod,
		completedSteps: state.completedSteps ?? [],
		credentials,
		signedCallWorks,
		signedCallDetail,
		insecureStorage,
		warnings,
	};
}

/** The report as plain lines, wrapped between words to `width` when stdout is a terminal. Holds no secret values, only `redact()` previews. */
export function formatStatus(report: StatusReport, width?: number): string[] {
	const works = report.signedCallWorks === true ? 'yes' : (report.signedCallWorks === false ? 'NO' : 'unknown');
	const lines = [
		`Profile:       ${report.profile} (${report.sandbox ? 'sandbox: --sandbox runs keep their own profiles' : 'LivePerson'})`,
		`Account:       ${report.accountId ?? '(none)'}${report.accountSource === 'env' ? ' (from LP_ACCOUNT_ID)' : ''}`,
		`Login:         ${report.botLoginName ? `${report.botLoginName} (${report.loginMethod ?? 'api-key'})` : '(none)'}`,
		`Steps done:    ${report.completedSteps.length > 0 ? report.completedSteps.join(', ') : '(none)'}`,
		...credentialFields.map(field => {
			const {source, preview} = report.credentials[field];
			const shown = source === 'missing' ? 'missing' : (source === 'unavailable' ? 'not read (the keychain could not be read)' : `${preview ?? ''} (${source})`);
			return `${`${credentialLabels[field]}:`.padEnd(21)}${shown}`;
		}),
		`Signed call:   ${works}${report.signedCallDetail ? ` (${report.signedCallDetail})` : ''}`,
		...report.warnings.map(warning => `Warning: ${warning}`),
	];
	return width === undefined ? lines : lines.flatMap(line => wrapField(line, width));
}

/** "Label:   a long value" in lines of at most `width` columns, broken between words, the rest aligned under the value. */
function wrapField(line: string, width: number): string[] {
	const [, label = '', value = line] = /^([^:]*:\s+)(.*)$/s.exec(line) ?? [];
	const hang = ' '.repeat(columns(label));
	return wrapWords(value, Math.max(20, width - hang.length)).map((text, index) => (index === 0 ? label : hang) + text);
}

/**
`lp-onboard status`: what is set up and whether a signed call works now. Exits like the failed call would (4 refused, 5
unreachable; 6 when the keychain could not be read), so scripts can rely on it.
*/
export const run: RunCommand = async f => {
	const secrets = await f.secrets({forWriting: false});
	const report = await runStatus({config: f.config, secrets, env: f.env, profile: f.flags.profile, sandbox: f.flags.sandbox, api: await f.api(), signal: f.signal});
	const incomplete = !report.accountId || credentialFields.some(field => report.credentials[field].source === 'missing');
	const unreadable = credentialFields.some(field => report.credentials[field].source === 'unavailable');
	const exitCode = report.signedCallWorks === true ? exitCodes.ok
		: (report.signedCallWorks === false ? exitCodes.auth : (unreadable ? exitCodes.keychain : (incomplete ? exitCodes.missingInput : exitCodes.network)));
	return result(formatStatus(report, f.stdoutColumns), {...report, signedCallWorks: report.signedCallWorks ?? false}, exitCode);
};
