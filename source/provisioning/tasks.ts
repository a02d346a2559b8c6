import type {Clock} from '../clock.js';
import {LpError} from '../errors.js';
import {
	appKeyLimitCode, defaultAllowlistDomains, defaultSecretsByVersion, provisioningGuide, secretPrivileges,
} from '../liveperson/functions-defaults.js';
import type {Domains, FunctionsContext, FunctionsProbe, FunctionsVersion, LivePersonApi} from '../liveperson/types.js';
import type {RetryEvent} from '../liveperson/http.js';
import type {Task} from '../tasks/task-runner.js';

export {secretPrivileges};

/**
`--show-privileges`: one `[secret, privilege]` row per privilege of the secrets a version installs, for `ui.table`.
*/
export function privilegeRows(version: FunctionsVersion): Array<readonly [string, string]> {
	return defaultSecretsByVersion[version]
		.flatMap(name => secretPrivileges[name].map(privilege => [name, privilege] as const));
}

export type WatchOptions = {
	/** @default 5000 */
	readonly pollMs?: number;
	/**
	How long to watch for Functions to answer. V2: LivePerson's "up to 10 minutes"; V1 names no figure, so two minutes.
	@default 600_000 (V2), 120_000 (V1)
	*/
	readonly budgetMs?: number;
};

/** The provisioning error lpf names "Maximum Key Reached", as an error with its fix. */
export function appKeyLimitError(accountId: string): LpError {
	return new LpError(`LivePerson could not provision Functions on ${accountId}: the account has reached its maximum number of API keys.`, {
		hint: 'Provisioning creates its own API key. Ask your LivePerson account manager to raise the limit (API keys cannot be deleted), then provision again.',
	});
}

/**
One poller for every bar: lists the account's functions the way lpf does until Functions answers, or until the budget
ends. What the list call answers before provisioning is not documented, so "answers" means a 2xx list and nothing more.
*/
export type FunctionsWatcher = {
	/** The latest answer. */
	readonly last: () => FunctionsProbe;
	/**
	Functions did not answer within the budget (not: a call failed). Only then may the admin's reading of the UI decide.
	*/
	readonly expired: () => boolean;
	/**
	Resolves once Functions answers; `onTick(elapsed, budget)` after every poll, `onRetry` before a poll's retry. Throws an
	`LpError` when the budget ends.
	*/
	wait(onTick: (elapsedMs: number, budgetMs: number) => void, onRetry?: (event: RetryEvent) => void): Promise<void>;
};

export function createFunctionsWatcher(
	{api, context, clock, signal, first, watch = {}}: {
		api: LivePersonApi;
		context: FunctionsContext;
		clock: Clock;
		signal: AbortSignal;
		first: FunctionsProbe;
		watch?: WatchOptions;
	},
): FunctionsWatcher {
	const pollMs = watch.pollMs ?? 5000;
	const budgetMs = watch.budgetMs ?? provisioningGuide[context.version].budgetMs ?? 120_000;
	let last = first;
	let expired = false;
	let loop: Promise<void> | undefined;
	const listeners = new Set<(elapsedMs: number, budgetMs: number) => void>();
	const retryListeners = new Set<(event: RetryEvent) => void>();
	const onRetry = (event: RetryEvent) => {
		for (const listener of retryListeners) {
			listener(event);
		}
	};

	const run = async () => {
		const started = clock.now();
		while (!last.answering) {
			const elapsed = clock.now() - started;
			for (const listener of listeners) {
				listener(elapsed, budgetMs);
			}

			if (elapsed >= budgetMs) {
				expired = true;
				throw new LpError(`LivePerson Functions did not answer for account ${context.session.accountId} within ${Math.round(budgetMs / 60_000)} minutes.`, {
					hint: 'Check the Functions UI: once it shows Functions ready, run `lp-onboard provision` again.',
				});
			}

			await clock.sleep(Math.min(pollMs, budgetMs - elapsed), signal);
			last = await api.probeFunctions(context, {signal, onRetry});
			if (!last.answering && last.code === appKeyLimitCode) {
				throw appKeyLimitError(context.session.accountId);
			}
		}
	};

	return {
		last: () => last,
		expired: () => expired,
		async wait(onTick, onRetryOf) {
			listeners.add(onTick);
			if (onRetryOf) {
				retryListeners.add(onRetryOf);
			}

			try {
				loop ??= run();
				await loop;
			} finally {
				listeners.delete(onTick);
				if (onRetryOf) {
					retryListeners.delete(onRetryOf);
				}
			}
		},
	};
}

/** The one wait the UI-side tasks share, per version. */
const waitTitles = {
	1: 'LivePerson activates Functions V1 (after the terms of use)',
	2: 'LivePerson provisions Functions V2 (up to 10 min)',
} as const;

const uiTaskDetails: Readonly<Record<string, string>> = {
	secrets: 'installed by LivePerson with the feature; no public API lists them (Settings in the Functions UI does)',
	secret: 'created by LivePerson; no public API lists it (Settings in the Functions UI does)',
	store: 'stored by LivePerson; no public API lists it (Settings in the Functions UI does)',
};

export type ProvisioningTasksOptions = {
	readonly api: LivePersonApi;
	readonly context: FunctionsContext;
	/** The account's CSDS domains; the V1 allowlist is built from them. */
	readonly domains: Domains;
	readonly watcher: FunctionsWatcher;
};

/**
One task per task the provisioning page lists. LivePerson does the UI-side ones once the admin acts in the Functions UI;
their bars move only with what a sourced call shows (the function list starting to answer; V2 against its 10-minute
budget). The V1 allowlist has a sourced API (lpf's `POST /proxy-settings`), so lp-onboard adds the default domains
itself once Functions answers.
*/
export function createProvisioningTasks(options: ProvisioningTasksOptions): Task[] {
	const {api, context, domains, watcher} = options;
	const answering = 'Functions answers for the account';
	const {version} = context;
	const waiting = version === 2 ? 'LivePerson finishes the provisioning' : 'waiting for the Functions UI step (the terms of use)';
	const uiTasks: Task[] = provisioningGuide[version].tasks.filter(task => task.id !== 'allowlist').map(({id, title}) => ({
		id,
		title,
		// LivePerson does these together and no public call tells them apart: one wait in the views, its tasks listed under
		// it.
		wait: waitTitles[version],
		async check() {
			return watcher.last().answering ? (uiTaskDetails[id] ?? answering) : undefined;
		},
		async run({report, retrying}) {
			report({completed: 0, total: 1, detail: waiting});
			await watcher.wait((elapsed, budget) => {
				// V2 has a documented budget to measure against; V1 names none, so its bar stays at the start until Functions
				// answers.
				report(version === 2
					? {completed: elapsed, total: budget, detail: `${waiting} · ${Math.floor(elapsed / 60_000)} of ${Math.round(budget / 60_000)} min`}
					: {completed: 0, total: 1, detail: waiting});
			}, retrying);
			report({completed: 1, total: 1});
			return uiTaskDetails[id] ?? answering;
		},
	}));

	if (version === 2) {
		return uiTasks;
	}

	const wanted = defaultAllowlistDomains(domains);
	const allowlist: Task = {
		id: 'allowlist',
		title: `Allowlist the ${wanted.length} default domains`,
		needs: ['activate'],
		// No task-level retry: the HTTP client already applies LivePerson's retry policy (liveperson/retry-policy.ts), and a
		// POST that may have gone through is left to the next run, which posts every domain again (duplicates read as
		// listed).
		async run({signal, report, retrying}) {
			let added = 0;
			let listed = 0;
			// Other refusals grouped by LivePerson's answer (status and code), so several alike read as one line.
			const refused = new Map<string, string[]>();
			report({completed: 0, total: wanted.length});
			for (const [index, domain] of wanted.entries()) {
				const result = await api.allowDomain(context, domain, {signal, onRetry: retrying});
				if (result.added) {
					added++;
				} else if (result.duplicate) {
					listed++;
				} else {
					const answer = `${result.status}${result.code ? ` ${result.code}` : ''}`;
					refused.set(answer, [...refused.get(answer) ?? [], domain]);
				}

				report({completed: index + 1, total: wanted.length, detail: domain});
			}

			// Provisioning itself allowlists the default domains (the provisioning page), so on a fresh account all are already
			// there.
			const parts = [
				...(added > 0 || listed === 0 ? [`${added} added`] : []),
				...(listed > 0 ? [`${listed} already listed${added === 0 ? ' (LivePerson added them at provisioning)' : ''}`] : []),
				...[...refused].map(([answer, domains]) => `${domains.length} refused with ${answer}${domains.length <= 3 ? ` (${domains.join(', ')})` : ''}`),
			];
			// Every domain already listed: the run changed nothing, so it counts as already done.
			return added === 0 && refused.size === 0 ? {alreadyDone: parts.join(', ')} : parts.join(', ');
		},
	};
	return [...uiTasks, allowlist];
}
