import {exitCodes} from '../errors.js';
import {clean} from '../ui/format.js';
import {columns, wrapWords} from '../ui/text.js';
import {type RunCommand, result} from './command.js';
import type {ConfigStore} from '../config/config-store.js';
import {HttpError, LpError} from '../errors.js';
import {createAuthorizer, jwtClaims, type Authorizer} from '../liveperson/authorizer.js';
import type {Domains, LivePersonApi} from '../liveperson/types.js';
import {promptSources} from '../prompts/prompter.js';
import {steps} from '../wizard/steps.js';
import {unreadableCredentials, type SecretStore} from '../secrets/secret-store.js';
import {secretTokenCache} from '../secrets/token-cache.js';
import {
	credentialsOf,
	fieldsOf,
	kindLabels,
	oauth1EndOfLife,
	redact,
	type ClientField,
	type CredentialField,
	type CredentialKind,
} from '../liveperson/credentials.js';
import {findProfileCredentials} from './shared/credentials.js';

export type {CredentialField} from '../liveperson/credentials.js';

/**
Where a credential value was found. `memory` only in tests and dry runs; `unavailable`: the keychain could not be read.
*/
export type CredentialSource = 'env' | 'keychain' | 'file' | 'memory' | 'missing' | 'unavailable';

export type CredentialStatus = {
	readonly source: CredentialSource;
	/** `redact(value)`: enough to recognise it, never the value. */
	readonly preview: string | undefined;
};

/**
What the OAuth 2.0 token says about itself: read from the JWT, not verified (Sentinel's signature is for LivePerson to
check).
*/
export type TokenStatus = {
	/** ISO time the token expires. */
	readonly expiresAt: string;
	/** The token's `scope` claim, split; empty when the token carries none or is not a JWT. */
	readonly scopes: readonly string[];
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
	/** What the profile authorizes with: an OAuth 2.0 client, or a legacy OAuth 1.0 key. */
	readonly kind: CredentialKind;
	/**
	By field of the kind: `clientId`, `clientSecret`; or the key's `appKey`, `appSecret`, `accessToken`,
	`accessTokenSecret`.
	*/
	readonly credentials: Readonly<Partial<Record<CredentialField | ClientField, CredentialStatus>>>;
	/** The OAuth 2.0 token the call used; undefined for a key, or when no token was obtained. */
	readonly token: TokenStatus | undefined;
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
	readonly clock?: {now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void>; nonce(): string};
};

/** The warning a legacy profile gets, with the way to switch. */
export const legacyWarning = `This profile uses an OAuth 1.0 API key: LivePerson makes no new keys since ${oauth1EndOfLife.noNewKeys} and ended `
	+ `OAuth 1.0 on ${oauth1EndOfLife.protocol}. Switch to OAuth 2.0 client credentials: lp-onboard --auth-method oauth2.`;

/**
What is set up for a profile: the account, which kind of credentials and where each value comes from (env wins over the
store, as in every command), and, when `api` is given, whether an authorized Users API call works with them right now.
*/
export async function runStatus({
	config,
	secrets,
	env,
	profile,
	sandbox = false,
	api,
	signal,
	clock,
}: StatusOptions): Promise<StatusReport> {
	const state = (await config.load()).profiles[profile] ?? {};
	const envAccount = env[promptSources['account-id'].env!];
	const accountId = envAccount ?? state.accountId;
	const {kind, found} = await findProfileCredentials(env, secrets, {profile, accountId, state});
	const credentials: Record<string, CredentialStatus> = {};
	for (const {field} of fieldsOf(kind)) {
		const {value, source} = found[field]!;
		credentials[field] = {source, preview: value ? redact(value) : undefined};
	}

	const warnings: string[] = [];
	const insecureStorage = secrets.kind === 'file' || state.storage === 'file';
	if (insecureStorage) {
		warnings.push('Credentials are kept in a plain file (mode 0600), not the OS keychain. Anyone who can read your home directory as you can use them.');
	}

	if (kind === 'oauth1') {
		warnings.push(legacyWarning);
	}

	const unreadable = unreadableCredentials(found);
	if (unreadable) {
		warnings.push(`${unreadable.message} ${unreadable.hint ?? ''}`.trim());
	}

	const missing = fieldsOf(kind).filter(({field}) => !found[field]!.value);
	let check: {works?: boolean; detail?: string; token?: TokenStatus} = {};
	if (!accountId) {
		check = {detail: `no account yet: run lp-onboard${sandbox ? ' --sandbox' : ''}`};
	} else if (unreadable) {
		check = {detail: 'not checked: the keychain could not be read'};
	} else if (missing.length > 0) {
		check = {detail: `missing ${missing.map(row => row.env).join(', ')}`};
	} else if (api) {
		const values = Object.fromEntries(fieldsOf(kind).map(({field}) => [field, found[field]!.value!]));
		const cached = state.accountId === accountId ? state.domains?.map : undefined;
		const domainsOf = async (): Promise<Domains> => (cached?.['accountConfigReadOnly'] && (kind === 'oauth1' || cached['sentinel']) ? cached : api.domains(accountId, {signal}));
		const authorizer = createAuthorizer(credentialsOf(kind, values), {
			...(clock ? {clock} : {}),
			fetchToken: async (client, options) => api.token(
				accountId,
				await domainsOf(),
				client,
				{signal: options.signal ?? signal},
			),
			cache: secretTokenCache(secrets, {profile, accountId}),
		});
		check = await tryCall(api, accountId, await domainsOf(), authorizer, signal);
	} else {
		check = {detail: 'not checked (offline)'};
	}

	return {
		profile,
		sandbox,
		accountId,
		accountSource: envAccount ? 'env' : (state.accountId ? 'config' : 'missing'),
		botLoginName: state.botLoginName,
		loginMethod: state.loginMethod,
		completedSteps: state.completedSteps ?? [],
		kind,
		credentials,
		token: check.token,
		signedCallWorks: check.works,
		signedCallDetail: check.detail,
		insecureStorage,
		warnings,
	};
}

/** One Users API call with the credentials port; the token it used, read (not trusted) from the JWT. */
async function tryCall(
	api: LivePersonApi,
	accountId: string,
	domains: Domains,
	authorizer: Authorizer,
	signal?: AbortSignal,
): Promise<{works?: boolean; detail?: string; token?: TokenStatus}> {
	let token: TokenStatus | undefined;
	try {
		await api.listUsers(accountId, domains, {authorizer}, {signal});
		token = tokenStatus(await authorizer.token({signal}));
		return {works: true, token};
	} catch (error) {
		if (error instanceof HttpError && (error.status === 400 || error.status === 401 || error.status === 403) && (error.status !== 400 || authorizer.kind === 'oauth2')) {
			return {works: false, detail: `LivePerson answered HTTP ${error.status}`};
		}

		return {detail: error instanceof LpError || error instanceof Error ? error.message : String(error)};
	}
}

function tokenStatus(token: {accessToken: string; expiresAt: number} | undefined): TokenStatus | undefined {
	if (!token) {
		return undefined;
	}

	const claims = jwtClaims(token.accessToken);
	const scope = claims?.['scope'] ?? claims?.['scp'];
	const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : (Array.isArray(scope) ? scope.filter((item): item is string => typeof item === 'string') : []);
	const exp = typeof claims?.['exp'] === 'number' ? claims['exp'] * 1000 : token.expiresAt;
	return {expiresAt: new Date(exp).toISOString(), scopes};
}

/**
The report as plain lines, wrapped between words to `width` when stdout is a terminal. Holds no secret values, only
`redact()` previews.
*/

/** A wizard step's name as the stepper shows it ("Credentials"), for a step id in the profile ("api-key"). */
function stepName(id: string): string {
	return steps.find(step => step.id === id)?.name ?? id;
}
export function formatStatus(report: StatusReport, width?: number): string[] {
	const works = report.signedCallWorks === true ? 'yes' : (report.signedCallWorks === false ? 'NO' : 'unknown');
	const lines = [
		`Profile:       ${report.profile} (${report.sandbox ? 'sandbox: --sandbox runs keep their own profiles' : 'LivePerson'})`,
		`Account:       ${report.accountId ?? '(none)'}${report.accountSource === 'env' ? ' (from LP_ACCOUNT_ID)' : ''}`,
		`Login:         ${report.botLoginName ? `${report.botLoginName} (${report.loginMethod === 'password' ? 'password' : 'with the credentials'})` : '(none)'}`,
		`Steps done:    ${report.completedSteps.length > 0 ? report.completedSteps.map(stepName).join(', ') : '(none)'}`,
		`Credentials:   ${kindLabels[report.kind]}`,
		...fieldsOf(report.kind).map(({field, label}) => {
			const {source, preview} = report.credentials[field] ?? {source: 'missing', preview: undefined};
			const shown = source === 'missing' ? 'missing' : (source === 'unavailable' ? 'not read (the keychain could not be read)' : `${preview ?? ''} (${source})`);
			return `${`${label}:`.padEnd(21)}${shown}`;
		}),
		...(report.token ? [
			`Token expires: ${report.token.expiresAt}`,
			`Token scopes:  ${report.token.scopes.length > 0 ? report.token.scopes.join(' ') : '(none in the token)'}`,
		] : []),
		`Authorized:    ${works}${report.signedCallDetail ? ` (${report.signedCallDetail})` : ''}`,
		...report.warnings.map(warning => `Warning: ${warning}`),
	];
	// config.json is the user's to edit: a login name or account id in it may hold escape sequences, never printed raw.
	const shown = lines.map(line => clean(line));
	return width === undefined ? shown : shown.flatMap(line => wrapField(line, width));
}

/**
"Label:   a long value" in lines of at most `width` columns, broken between words, the rest aligned under the value.
*/
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
	const report = await runStatus({
		config: f.config,
		secrets,
		env: f.env,
		profile: f.flags.profile,
		sandbox: f.flags.sandbox,
		api: await f.api(),
		signal: f.signal,
		clock: f.clock,
	});
	const sources = Object.values(report.credentials).map(credential => credential.source);
	const incomplete = !report.accountId || sources.includes('missing');
	const unreadable = sources.includes('unavailable');
	const exitCode = report.signedCallWorks === true ? exitCodes.ok
		: (report.signedCallWorks === false
			? exitCodes.auth
			: (unreadable ? exitCodes.keychain : (incomplete ? exitCodes.missingInput : exitCodes.network)));
	return result(
		formatStatus(report, f.io.columns),
		{...report, signedCallWorks: report.signedCallWorks ?? false},
		exitCode,
	);
};
