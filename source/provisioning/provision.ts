import type {Clock} from '../clock.js';
import {CancelledError, LpError, RefusedError, exitCodes, type ExitCode} from '../errors.js';
import {detectFunctionsVersion} from '../liveperson/functions-defaults.js';
import type {
	Domains,
	FunctionsContext,
	FunctionsVersion,
	LivePersonApi,
	LoginBody,
	Session,
} from '../liveperson/types.js';
import {createTaskRunner, type RunnerSnapshot, type Task, type TaskState, type TaskStatus} from '../tasks/task-runner.js';
import type {Ui} from '../ui/ui.js';
import {loadCheckpoint, lockCheckpoint, recordCheckpoint, type Checkpoint} from './checkpoint.js';
import {createProvisioningTasks, type InfrastructurePolling, type ProvisioningRetry} from './tasks.js';

export type ProvisionedTask = {
	readonly id: string;
	readonly title: string;
	/** `pending` only in a dry run: the task would run. */
	readonly status: TaskStatus;
	/** Attempts over this and earlier interrupted runs (from the checkpoint). */
	readonly attempts: number;
	readonly ms: number;
	readonly detail?: string;
	readonly error?: {readonly message: string; readonly hint?: string};
	/** An earlier run had recorded this task. */
	readonly resumed?: boolean;
};

export type ProvisionReport = {
	readonly accountId: string;
	readonly version: FunctionsVersion;
	readonly dryRun: boolean;
	/** A checkpoint of an earlier run was found and used. */
	readonly resumed: boolean;
	readonly tasks: readonly ProvisionedTask[];
	/** Every task done or skipped (dry run: every check answered). */
	readonly ok: boolean;
};

export type ProvisionAccountOptions = {
	readonly api: LivePersonApi;
	readonly ui: Ui;
	readonly accountId: string;
	/** An admin's Login Service credentials; Functions provisioning needs a Conversational Cloud admin. */
	readonly login: LoginBody;
	/** `--functions-version`; wins over what CSDS says. */
	readonly versionOverride?: FunctionsVersion;
	/** Only run the checks and list what would change. */
	readonly dryRun?: boolean;
	/** `--yes`: do not ask. */
	readonly yes?: boolean;
	/** Asked before the first change unless `yes`. */
	readonly confirm: () => Promise<boolean>;
	readonly signal: AbortSignal;
	readonly clock: Clock;
	/** Where `provision-{accountId}.json` checkpoints live. */
	readonly stateDir: string;
	/**
	Use the checkpoint of an earlier run to report what is resumed. Tasks are checked against LivePerson either way.
	@default true
	*/
	readonly resume?: boolean;
	/** Tasks at once. @default 4 */
	readonly concurrency?: number;
	readonly retry?: ProvisioningRetry;
	readonly infrastructure?: InfrastructurePolling;
};

function errorInfo(error: unknown): {message: string; hint?: string} {
	if (error instanceof LpError) {
		return error.hint === undefined ? {message: error.message} : {message: error.message, hint: error.hint};
	}

	return {message: error instanceof Error ? error.message : String(error)};
}

function snapshotTasks(snapshot: RunnerSnapshot): readonly TaskState[] {
	return snapshot.tasks;
}

async function logoutQuietly(api: LivePersonApi, session: Session, domains: Domains): Promise<void> {
	try {
		// Its own short deadline: the run's signal may already be aborted, and the session should still end.
		await api.logout(session, domains, {signal: AbortSignal.timeout(5000)});
	} catch {}
}

async function dryRunTasks(tasks: readonly Task[], signal: AbortSignal, clock: Clock, checkpoint: Checkpoint | undefined): Promise<ProvisionedTask[]> {
	const planned: ProvisionedTask[] = [];
	for (const task of tasks) {
		const started = clock.now();
		const resumed = checkpoint?.tasks[task.id] === undefined ? {} : {resumed: true};
		const attempts = checkpoint?.tasks[task.id]?.attempts ?? 0;
		try {
			// eslint-disable-next-line no-await-in-loop
			const reason = await task.check?.(signal);
			planned.push({
				id: task.id,
				title: task.title,
				status: reason === undefined ? 'pending' : 'skipped',
				attempts,
				ms: clock.now() - started,
				detail: reason ?? `would ${task.title.charAt(0).toLowerCase()}${task.title.slice(1)}`,
				...resumed,
			});
		} catch (error) {
			if (signal.aborted) {
				throw new CancelledError();
			}

			planned.push({
				id: task.id,
				title: task.title,
				status: 'failed',
				attempts,
				ms: clock.now() - started,
				detail: 'could not check',
				error: errorInfo(error),
				...resumed,
			});
		}
	}

	return planned;
}

/**
Provisions LivePerson Functions for one account, the way an admin's first visit to the Functions UI would: resolves the
domains, logs in, refuses a non-admin before changing anything, then runs the tasks that are not done yet. Safe to run
again: every task checks LivePerson first, and a checkpoint records how far an interrupted run got.
*/
export async function provisionAccount(options: ProvisionAccountOptions): Promise<ProvisionReport> {
	// One run per account at a time (a dry run changes nothing and may look while another runs).
	const lock = options.dryRun ? undefined : await lockCheckpoint(options.stateDir, options.accountId);
	try {
		return await provisionLocked(options);
	} finally {
		await lock?.release();
	}
}

async function provisionLocked(options: ProvisionAccountOptions): Promise<ProvisionReport> {
	const {api, ui, accountId, signal, clock, stateDir} = options;
	const domains = await ui.task(`Resolving the service domains of ${accountId}`, async () => api.domains(accountId, {signal}));
	const version = options.versionOverride ?? detectFunctionsVersion(domains);
	const session = await ui.task(`Logging in to ${accountId}`, async () => api.login(accountId, domains, options.login, {signal}));
	try {
		if (!session.isAdmin) {
			throw new RefusedError(
				`${session.loginName} is not an administrator of account ${accountId}; nothing was changed.`,
				'Provisioning LivePerson Functions needs a Conversational Cloud admin: log in as an account admin, or ask one to run it.',
			);
		}

		const context: FunctionsContext = {session, domains, version};
		const checkpoint = options.resume === false ? undefined : await loadCheckpoint(stateDir, accountId, message => {
			ui.warn(message);
		});
		const tasks = createProvisioningTasks({
			api,
			context,
			domains,
			clock,
			...(checkpoint ? {checkpoint: (id: string) => checkpoint.tasks[id]} : {}),
			...(options.retry ? {retry: options.retry} : {}),
			...(options.infrastructure ? {infrastructure: options.infrastructure} : {}),
		});

		if (options.dryRun) {
			const planned = await dryRunTasks(tasks, signal, clock, checkpoint);
			return {
				accountId,
				version,
				dryRun: true,
				resumed: checkpoint !== undefined,
				tasks: planned,
				ok: planned.every(task => task.status !== 'failed'),
			};
		}

		if (!options.yes && !(await options.confirm())) {
			throw new CancelledError(`Provisioning of ${accountId} was cancelled; nothing was changed.`);
		}

		const runner = createTaskRunner(tasks, {signal, clock, concurrency: options.concurrency ?? 4});
		const recorder = recordCheckpoint({
			runner,
			stateDir,
			accountId,
			functionsVersion: version,
			clock,
			warn(message) {
				ui.warn(message);
			},
			...(checkpoint ? {previous: checkpoint} : {}),
		});
		let snapshot: RunnerSnapshot;
		try {
			snapshot = await ui.runTasks(runner);
		} finally {
			recorder.stop();
			await recorder.flush();
		}

		if (signal.aborted) {
			throw new CancelledError(`Provisioning of ${accountId} was interrupted.`);
		}

		const recorded = recorder.entries();
		const report: ProvisionedTask[] = snapshotTasks(snapshot).map(state => ({
			id: state.id,
			title: state.title,
			status: state.status,
			attempts: recorded[state.id]?.attempts ?? state.attempts,
			ms: state.startedAt !== undefined && state.endedAt !== undefined ? state.endedAt - state.startedAt : 0,
			...(state.detail === undefined ? {} : {detail: state.detail}),
			...(state.error ? {error: state.error} : {}),
			...(checkpoint?.tasks[state.id] === undefined ? {} : {resumed: true}),
		}));
		return {
			accountId,
			version,
			dryRun: false,
			resumed: checkpoint !== undefined,
			tasks: report,
			ok: report.every(task => task.status === 'done' || task.status === 'skipped'),
		};
	} finally {
		await logoutQuietly(api, session, domains);
	}
}

/** The exit code for finished reports: 0 when every account is fully provisioned, `partial` otherwise. */
export function provisionExitCode(reports: readonly ProvisionReport[]): ExitCode {
	return reports.every(report => report.ok) ? exitCodes.ok : exitCodes.partial;
}

export type ProvisionManyOptions = Omit<ProvisionAccountOptions, 'accountId' | 'yes'> & {
	readonly accountIds: readonly string[];
	/** Accounts at once (`--concurrency`). @default 3 */
	readonly concurrency?: number;
	/** Tasks at once within one account. @default 4 */
	readonly taskConcurrency?: number;
	readonly yes?: boolean;
};

export type AccountOutcome = {
	readonly accountId: string;
	readonly report?: ProvisionReport;
	/** Why the account could not be provisioned at all (refused, not found, login failed…). */
	readonly error?: {readonly message: string; readonly hint?: string; readonly refused: boolean};
};

export type ProvisionManyResult = {
	readonly outcomes: readonly AccountOutcome[];
	/** For `ui.table(rows, headers)`: one `[account, summary]` row per account. */
	readonly headers: readonly [string, string];
	readonly rows: ReadonlyArray<readonly [string, string]>;
	readonly ok: boolean;
	/** 0 when every account is fully provisioned, otherwise `exitCodes.partial` (`refused` when every account refused). */
	readonly exitCode: ExitCode;
};

function summaryText(outcome: AccountOutcome): string {
	const {report, error} = outcome;
	if (!report) {
		return `${error?.refused ? 'refused' : 'failed'}: ${error?.message ?? 'unknown error'}`;
	}

	const count = (...statuses: TaskStatus[]) => report.tasks.filter(task => statuses.includes(task.status)).length;
	const failed = report.tasks.find(task => task.status === 'failed');
	const result = report.dryRun ? 'dry run' : (report.ok ? 'ok' : 'partial');
	const parts = [
		`${count('done')} done`,
		`${count('skipped')} already done`,
		...(report.dryRun ? [`${count('pending')} to do`] : []),
		...(count('failed', 'blocked', 'cancelled') > 0 ? [`${count('failed', 'blocked', 'cancelled')} not done`] : []),
	];
	return `V${report.version} ${result}: ${parts.join(', ')}${failed?.error ? ` (${failed.error.message})` : ''}`;
}

/** One `[task, outcome]` row per task, for `ui.table(reportRows(report), ['Task', 'Result'])`. */
export function reportRows(report: ProvisionReport): Array<readonly [string, string]> {
	return report.tasks.map(task => {
		const outcome = task.status === 'pending' ? 'to do' : task.status;
		const detail = task.error ? `${task.error.message}${task.error.hint ? ` ${task.error.hint}` : ''}` : task.detail;
		return [task.title, detail ? `${outcome}: ${detail}` : outcome] as const;
	});
}

/**
Provisions several accounts (`--accounts FILE`), a few at a time. Asks once for all of them; one account failing or being
refused does not stop the others.
*/
export async function provisionMany(options: ProvisionManyOptions): Promise<ProvisionManyResult> {
	const {accountIds, signal} = options;
	if (!options.yes && !options.dryRun && !(await options.confirm())) {
		throw new CancelledError('Provisioning was cancelled; nothing was changed.');
	}

	const outcomes: AccountOutcome[] = Array.from({length: accountIds.length});
	let next = 0;
	const worker = async () => {
		while (next < accountIds.length && !signal.aborted) {
			const index = next++;
			const accountId = accountIds[index]!;
			try {
				// eslint-disable-next-line no-await-in-loop
				const report = await provisionAccount({
					...options,
					accountId,
					yes: true,
					concurrency: options.taskConcurrency ?? 4,
				});
				outcomes[index] = {accountId, report};
			} catch (error) {
				const {message, hint} = errorInfo(error);
				const refused = error instanceof RefusedError;
				// Literals, not a spread: a spread gave each of thousands of outcomes a hidden class of its own.
				outcomes[index] = {accountId, error: hint === undefined ? {message, refused} : {message, hint, refused}};
			}

		}
	};

	await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency ?? 3, accountIds.length))}, async () => worker()));
	if (signal.aborted) {
		throw new CancelledError('Provisioning was interrupted.');
	}

	const ok = outcomes.every(outcome => outcome.report?.ok === true);
	const allRefused = outcomes.length > 0 && outcomes.every(outcome => outcome.error?.refused === true);
	return {
		outcomes,
		headers: ['Account', 'Result'],
		rows: outcomes.map(outcome => [outcome.accountId, summaryText(outcome)] as const),
		ok,
		exitCode: ok ? exitCodes.ok : (allRefused ? exitCodes.refused : exitCodes.partial),
	};
}

