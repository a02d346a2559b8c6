import {CancelledError, EnvironmentError, RefusedError, exitCodes, type ExitCode} from '../errors.js';
import type {TaskStatus} from '../tasks/task-runner.js';
import type {Ui} from '../ui/ui.js';
import {errorInfo, provisionAccount, provisionExitCode, type ProvisionAccountOptions, type ProvisionReport} from './provision.js';

/**
`guide` only where it asks nobody: the sandbox's stand-in page accepted on the admin's behalf (`--sandbox --yes`). A
person is never guided through many accounts at once.
*/
export type ProvisionManyOptions = Omit<ProvisionAccountOptions, 'accountId' | 'yes' | 'ui'> & {
	readonly ui: Ui;
	readonly accountIds: readonly string[];
	/** Accounts at once (`--concurrency`). @default 3 */
	readonly concurrency?: number;
	/** Tasks at once within one account. @default 4 */
	readonly taskConcurrency?: number;
	readonly yes?: boolean;
	/** Asked once, after the confirmation, when no `guide` is given: the guide every account's Functions UI step gets. */
	readonly offerGuide?: () => Promise<ProvisionAccountOptions['guide']>;
};

export type AccountOutcome = {
	readonly accountId: string;
	readonly report?: ProvisionReport;
	/** Why the account could not be provisioned at all (refused, not found, login failed…). */
	readonly error?: {
		readonly message: string;
		readonly hint?: string;
		readonly refused: boolean;
		/** Another lp-onboard is provisioning the account (its lock is held): nothing failed, run again later. */
		readonly busy?: boolean;
	};
};

export type ProvisionManyResult = {
	readonly outcomes: readonly AccountOutcome[];
	/** For `ui.table(rows, headers)`: one `[account, summary]` row per account. */
	readonly headers: readonly [string, string];
	readonly rows: ReadonlyArray<readonly [string, string]>;
	readonly ok: boolean;
	/**
	0 when every account is fully provisioned, otherwise `exitCodes.partial` (`refused` when every account refused,
	`environment` when every account not done is being provisioned by another run).
	*/
	readonly exitCode: ExitCode;
};

function summaryText(outcome: AccountOutcome): string {
	const {report, error} = outcome;
	if (!report) {
		return `${error?.refused ? 'refused' : 'failed'}: ${error?.message ?? 'unknown error'}`;
	}

	const count = (...statuses: TaskStatus[]) => report.tasks.filter(task => statuses.includes(task.status)).length;
	const failed = report.tasks.find(task => task.status === 'failed');
	const result = report.dryRun ? 'dry run' : (report.ok ? 'ok' : (report.pendingUi ? 'waiting on the Functions UI' : 'partial'));
	const parts = [
		`${count('done')} done`,
		`${count('skipped')} already done`,
		...(report.dryRun ? [`${count('pending')} to do`] : []),
		...(count('failed', 'blocked', 'cancelled') > 0 ? [`${count('failed', 'blocked', 'cancelled')} not done`] : []),
	];
	const ui = report.pendingUi ? ` (${report.pendingUi.steps.join(' ')})` : '';
	return `V${report.version} ${result}: ${parts.join(', ')}${failed?.error ? ` (${failed.error.message})` : ''}${ui}`;
}

/**
Provisions several accounts (`--accounts FILE`), a few at a time. Asks once for all of them; one account failing or
being refused does not stop the others.
*/
export async function provisionMany(options: ProvisionManyOptions): Promise<ProvisionManyResult> {
	const {accountIds, signal} = options;
	if (!options.yes && !options.dryRun && !(await options.confirm())) {
		throw new CancelledError('Provisioning was cancelled; nothing was changed.');
	}

	const guide = options.guide ?? (options.dryRun ? undefined : await options.offerGuide?.());
	const outcomes: AccountOutcome[] = Array.from({length: accountIds.length});
	let next = 0;
	const worker = async () => {
		while (next < accountIds.length && !signal.aborted) {
			const index = next++;
			const accountId = accountIds[index]!;
			// Accounts run side by side: each draws in a block of its own, titled with its id.
			const block = options.ui.group(accountId);
			let outcome: AccountOutcome;
			try {
				const report = await provisionAccount({
					...options,
					ui: block,
					accountId,
					...(guide ? {guide} : {}),
					yes: true,
					concurrency: options.taskConcurrency ?? 4,
				});
				outcome = {accountId, report};
			} catch (error) {
				const {message, hint} = errorInfo(error);
				const refused = error instanceof RefusedError;
				const busy = error instanceof EnvironmentError && error.path?.endsWith('.lock') === true;
				// Literals, not a spread: a spread gave each of thousands of outcomes a hidden class of its own.
				outcome = {accountId, error: hint === undefined ? {message, refused, busy} : {message, hint, refused, busy}};
			}

			outcomes[index] = outcome;
			block.close({ok: outcome.report?.ok === true, text: summaryText(outcome)});
		}
	};

	await Promise.all(Array.from(
		{length: Math.max(1, Math.min(options.concurrency ?? 3, accountIds.length))},
		async () => worker(),
	));
	if (signal.aborted) {
		throw new CancelledError('Provisioning was interrupted.');
	}

	const ok = outcomes.every(outcome => outcome.report?.ok === true);
	const allRefused = outcomes.length > 0 && outcomes.every(outcome => outcome.error?.refused === true);
	const reports = outcomes.map(outcome => outcome.report);
	// Every account not done is held by another run: that is the lock conflict's exit code (9), not a partial failure.
	const notDone = outcomes.filter(outcome => outcome.report?.ok !== true);
	const allBusy = notDone.length > 0 && notDone.every(outcome => outcome.error?.busy === true);
	const exitCode = reports.every(report => report !== undefined)
		? provisionExitCode(reports)
		: (allRefused ? exitCodes.refused : (allBusy ? exitCodes.environment : exitCodes.partial));
	return {
		outcomes,
		headers: ['Account', 'Result'],
		rows: outcomes.map(outcome => [outcome.accountId, summaryText(outcome)] as const),
		ok,
		exitCode,
	};
}

