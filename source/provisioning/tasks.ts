import {systemClock, type Clock} from '../clock.js';
import {HttpError, LpError} from '../errors.js';
import {defaultAllowlistDomains, secretPrivileges} from '../liveperson/functions-defaults.js';
import type {
	Domains,
	FunctionsContext,
	InfrastructureState,
	LivePersonApi,
	SystemSecretName,
} from '../liveperson/types.js';
import type {Task} from '../tasks/task-runner.js';

export {secretPrivileges};

/** The system secrets each platform version installs, in install order. */
export const systemSecretsByVersion: Readonly<Record<1 | 2, readonly SystemSecretName[]>> = {
	1: ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key'],
	2: ['LIVEPERSON_DEFAULT_APP_KEY'],
};

/** `--show-privileges`: one `[secret, privilege]` row per privilege of the secrets a version installs, for `ui.table`. */
export function privilegeRows(version: 1 | 2): Array<readonly [string, string]> {
	return systemSecretsByVersion[version].flatMap(name => secretPrivileges[name].map(privilege => [name, privilege] as const));
}

export type ProvisioningRetry = {
	readonly attempts: number;
	/** @default 500 */
	readonly baseMs?: number;
};

export type InfrastructurePolling = {
	/**
	How long to wait for V2 infrastructure; LivePerson says it "can take up to 10 minutes".
	@default 600_000
	*/
	readonly timeoutMs?: number;
	/** @default 1000 */
	readonly firstDelayMs?: number;
	/** @default 15_000 */
	readonly maxDelayMs?: number;
};

/** What a previous run recorded for a task (see checkpoint.ts); only used to word the "already done" reason. */
export type PreviousRun = (taskId: string) => {readonly status: string; readonly attempts: number} | undefined;

export type ProvisioningTasksOptions = {
	readonly api: LivePersonApi;
	readonly context: FunctionsContext;
	/** The account's CSDS domains; the allowlist is built from them. */
	readonly domains: Domains;
	readonly checkpoint?: PreviousRun;
	/** For V2's "pending" answer only. @default {attempts: 3, baseMs: 500} */
	readonly retry?: ProvisioningRetry;
	readonly infrastructure?: InfrastructurePolling;
	readonly clock?: Clock;
};

const pendingCode = 'com.liveperson.faas.self-service.pending';

/**
The one failure a task tries again: V2's "pending" 409 (the platform is still finishing the infrastructure). 5xx, 429 and
dropped connections are not: the HTTP layer already retried them under LivePerson's policy (liveperson/http.ts), and
trying the task again would multiply its sends and pauses.
*/
export function isPending(error: unknown): boolean {
	return error instanceof HttpError && error.status === 409 && error.code === pendingCode;
}

function isDuplicate(error: unknown): boolean {
	return error instanceof HttpError && error.status === 409 && error.code !== pendingCode;
}

/** How the platform compares allowlist entries: case-insensitively, and a sandbox CSDS host's `:port` does not count. */
function normalizeDomain(domain: string): string {
	return domain.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
Builds the provisioning tasks for one account: V1 activates the feature, installs two system secrets and allowlists the
default domains (all independent, so they run in parallel); V2 provisions the infrastructure first, then the secret,
then activates the feature. Every task checks the server first, so a re-run only does what is missing.
*/
export function createProvisioningTasks(options: ProvisioningTasksOptions): Task[] {
	const {api, context, domains, checkpoint} = options;
	const clock = options.clock ?? systemClock;
	const retry = {
		attempts: options.retry?.attempts ?? 3,
		baseMs: options.retry?.baseMs ?? 500,
		shouldRetry: isPending,
	};

	const done = (taskId: string, reason: string) => {
		const previous = checkpoint?.(taskId);
		return previous?.status === 'done' || previous?.status === 'skipped' ? `${reason} (resumed)` : reason;
	};

	const activate = (needs?: string[]): Task => ({
		id: 'activate',
		title: 'Activate the Functions feature',
		...(needs ? {needs} : {}),
		retry,
		async check(signal) {
			const feature = await api.getFeature(context, {signal});
			return feature.active ? done('activate', 'already active') : undefined;
		},
		async run({signal, report}) {
			report({completed: 0, total: 1, detail: 'activating'});
			await api.activateFeature(context, {signal});
			report({completed: 1, total: 1});
			return 'activated';
		},
	});

	const secret = (name: SystemSecretName, needs?: string[]): Task => ({
		id: `secret:${name}`,
		title: `Install the ${name} system secret`,
		...(needs ? {needs} : {}),
		retry,
		async check(signal) {
			const existing = await api.getSystemSecret(context, name, {signal});
			return existing ? done(`secret:${name}`, 'already installed') : undefined;
		},
		async run({signal, report}) {
			report({completed: 0, total: 1, detail: 'installing'});
			// The platform answers 200 instead of 201 when the secret already exists, so a retry never duplicates it.
			await api.createSystemSecret(context, name, {signal});
			report({completed: 1, total: 1});
			return `installed (${plural(secretPrivileges[name].length, 'privilege')})`;
		},
	});

	if (context.version === 1) {
		const wanted = [...new Set(defaultAllowlistDomains(domains).map(domain => normalizeDomain(domain)))];
		const missingFrom = async (signal: AbortSignal) => {
			const existing = new Set((await api.listAllowedDomains(context, {signal})).map(entry => normalizeDomain(entry.domain)));
			return wanted.filter(domain => !existing.has(domain));
		};

		// The runner checks at the start of every attempt, so what the check found is fresh for that attempt's run: a retry after a
		// dropped connection never re-adds what the last attempt added.
		let checked: string[] | undefined;
		const allowlist: Task = {
			id: 'allowlist',
			title: `Allowlist the ${plural(wanted.length, 'default domain')}`,
			retry,
			async check(signal) {
				checked = undefined;
				const missing = await missingFrom(signal);
				checked = missing;
				return missing.length === 0 ? done('allowlist', `all ${wanted.length} domains already allowed`) : undefined;
			},
			async run({signal, report}) {
				const missing = checked ?? await missingFrom(signal);
				checked = undefined;
				let completed = wanted.length - missing.length;
				report({completed, total: wanted.length, detail: `${completed} already allowed`});
				let added = 0;
				for (const domain of missing) {
					try {
						await api.allowDomain(context, domain, {signal});
						added++;
					} catch (error) {
						if (!isDuplicate(error)) {
							throw error;
						}
					}

					completed++;
					report({completed, total: wanted.length, detail: domain});
				}

				return `${plural(added, 'domain')} added, ${wanted.length - added} already allowed`;
			},
		};

		return [
			activate(),
			...systemSecretsByVersion[1].map(name => secret(name)),
			allowlist,
		];
	}

	const polling = {
		timeoutMs: options.infrastructure?.timeoutMs ?? 600_000,
		firstDelayMs: options.infrastructure?.firstDelayMs ?? 1000,
		maxDelayMs: options.infrastructure?.maxDelayMs ?? 15_000,
	};

	const failed = () => new LpError('LivePerson could not provision the Functions infrastructure.', {
		hint: 'Run the same command again to retry; if it fails again, open the Functions page in Conversational Cloud or contact LivePerson support.',
	});

	// As for the allowlist: the state the check just read is the one this attempt starts from.
	let checked: InfrastructureState | undefined;
	const infrastructure: Task = {
		id: 'infrastructure',
		title: 'Provision the Functions infrastructure',
		retry,
		async check(signal) {
			checked = undefined;
			const state = await api.getInfrastructure(context, {signal});
			checked = state;
			return state.state === 'done' ? done('infrastructure', 'already provisioned') : undefined;
		},
		async run({signal, report}) {
			const show = (state: InfrastructureState) => {
				report({completed: state.progress, total: 100, detail: state.state});
			};

			let state = checked ?? await api.getInfrastructure(context, {signal});
			checked = undefined;
			// A failed earlier attempt is started again; one that is still running is only watched.
			if (state.state === 'none' || state.state === 'failed') {
				state = await api.startInfrastructure(context, {signal});
			}

			const deadline = clock.now() + polling.timeoutMs;
			let delay = polling.firstDelayMs;
			show(state);
			while (state.state === 'running') {
				if (clock.now() >= deadline) {
					throw new LpError(`The Functions infrastructure is still being provisioned after ${Math.round(polling.timeoutMs / 60_000)} minutes.`, {
						hint: 'LivePerson keeps working on it; run the same command again later to finish the remaining steps.',
					});
				}

				// eslint-disable-next-line no-await-in-loop
				await clock.sleep(Math.min(delay, Math.max(0, deadline - clock.now())), signal);
				delay = Math.min(delay * 2, polling.maxDelayMs);
				// eslint-disable-next-line no-await-in-loop
				state = await api.getInfrastructure(context, {signal});
				show(state);
			}

			if (state.state !== 'done') {
				throw failed();
			}

			return 'provisioned';
		},
	};

	return [
		infrastructure,
		...systemSecretsByVersion[2].map(name => secret(name, ['infrastructure'])),
		activate(['infrastructure', ...systemSecretsByVersion[2].map(name => `secret:${name}`)]),
	];
}
