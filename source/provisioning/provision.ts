import type {Clock} from '../clock.js';
import {CancelledError, HttpError, LpError, RefusedError, exitCodes, type ExitCode} from '../errors.js';
import {appKeyLimitCode, detectFunctionsVersion, functionsUiUrl, provisioningGuide} from '../liveperson/functions-defaults.js';
import type {
	Domains,
	FunctionsContext,
	FunctionsVersion,
	LivePersonApi,
	LoginBody,
	Session,
} from '../liveperson/types.js';
import {createTaskRunner, type RunnerSnapshot, type Task, type TaskState, type TaskStatus} from '../tasks/task-runner.js';
import type {UiBlock} from '../ui/ui.js';
import {loadCheckpoint, lockCheckpoint, recordCheckpoint, type Checkpoint} from './checkpoint.js';
import {appKeyLimitError, createFunctionsWatcher, createProvisioningTasks, type WatchOptions} from './tasks.js';

/** What the admin does in the Functions UI, as the provisioning pages say it. */
export type UiStep = {
	readonly accountId: string;
	readonly version: FunctionsVersion;
	/** The Functions UI (lpf's README link), or the sandbox's stand-in page. */
	readonly url: string;
	readonly steps: readonly string[];
};

/**
How a person at a terminal is guided through the Functions UI step. Absent (scripts, `--yes --json`): the run reports
what needs the UI and returns at once.
*/
export type ProvisioningGuide = {
	/**
	Shows the steps and the URL on `ui` (an account's block under `--accounts`), opens the browser where one exists; true
	once the admin says it is done in the UI.
	*/
	start(step: UiStep, ui: UiBlock): Promise<boolean>;
	/**
	Asked when Functions has not answered within the budget. What its calls answer before provisioning is not documented,
	so the admin's reading of the UI decides.
	*/
	confirmDone(step: UiStep): Promise<boolean>;
};

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
	/** Every task done or skipped (dry run: every check answered and nothing waits on the Functions UI). */
	readonly ok: boolean;
	/** Set when the run stopped at the Functions UI step: what the admin still has to do there. */
	readonly pendingUi?: UiStep;
	/** Set when the admin, not a LivePerson call, said the UI step finished. */
	readonly confirmedByAdmin?: boolean;
};

export type ProvisionAccountOptions = {
	readonly api: LivePersonApi;
	readonly ui: UiBlock;
	readonly accountId: string;
	/** An admin's Login Service credentials; Functions provisioning needs a Conversational Cloud admin. */
	readonly login: LoginBody;
	/** `--functions-version`; wins over what CSDS says. */
	readonly versionOverride?: FunctionsVersion;
	/** The account's domains when the caller already has them (the wizard), so CSDS is not asked again. */
	readonly domains?: Domains;
	/** Only run the checks and list what would change. */
	readonly dryRun?: boolean;
	/** `--yes`: do not ask. */
	readonly yes?: boolean;
	/** Asked before the first change (the Functions UI step included) unless `yes`. */
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
	/** How often and how long to watch for Functions to answer after the UI step. */
	readonly watch?: WatchOptions;
	/** Present when a person can act in the Functions UI now; see `ProvisioningGuide`. */
	readonly guide?: ProvisioningGuide;
	/** The Functions UI address to show. @default 'https://faas.liveperson.net/' */
	readonly uiUrl?: (accountId: string) => string;
};

export function errorInfo(error: unknown): {message: string; hint?: string} {
	if (error instanceof LpError) {
		return error.hint === undefined ? {message: error.message} : {message: error.message, hint: error.hint};
	}

	return {message: error instanceof Error ? error.message : String(error)};
}

/** The one way a task enters a report: what this run found, plus what the checkpoint of an earlier run recorded. */
function provisionedTask(
	task: {readonly id: string; readonly title: string},
	checkpoint: Checkpoint | undefined,
	found: Pick<ProvisionedTask, 'status'> & Partial<Omit<ProvisionedTask, 'id' | 'title' | 'status' | 'resumed'>>,
): ProvisionedTask {
	const {status, attempts = checkpoint?.tasks[task.id]?.attempts ?? 0, ms = 0, detail, error} = found;
	return {
		id: task.id,
		title: task.title,
		status,
		attempts,
		ms,
		...(detail === undefined ? {} : {detail}),
		...(error ? {error} : {}),
		...(checkpoint?.tasks[task.id] === undefined ? {} : {resumed: true}),
	};
}

type ReportBase = Pick<ProvisionReport, 'accountId' | 'version' | 'resumed' | 'dryRun'>;

/**
The one way a report is made. `ok`: every task done or skipped (a dry run: nothing failed to check), and nothing waits
on the Functions UI.
*/
function provisionReport(
	base: ReportBase,
	tasks: readonly ProvisionedTask[],
	{pendingUi, confirmedByAdmin}: {readonly pendingUi?: UiStep; readonly confirmedByAdmin?: boolean} = {},
): ProvisionReport {
	const settled = base.dryRun ? tasks.every(task => task.status !== 'failed') : tasks.every(task => task.status === 'done' || task.status === 'skipped');
	return {
		...base,
		tasks,
		ok: settled && !pendingUi,
		...(pendingUi ? {pendingUi} : {}),
		...(confirmedByAdmin ? {confirmedByAdmin} : {}),
	};
}

function stateTask(
	state: TaskState,
	checkpoint: Checkpoint | undefined,
	attempts: number | undefined,
): ProvisionedTask {
	return provisionedTask(state, checkpoint, {
		status: state.status,
		attempts: attempts ?? state.attempts,
		ms: state.startedAt !== undefined && state.endedAt !== undefined ? state.endedAt - state.startedAt : 0,
		...(state.detail === undefined ? {} : {detail: state.detail}),
		...(state.error ? {error: state.error} : {}),
	});
}

/**
A refused admin login, with what to do about it here: which values to check and how to give them, not "re-run the
wizard".
*/
function loginRefused(error: unknown, login: LoginBody, accountId: string): unknown {
	if (!(error instanceof HttpError) || error.status !== 401) {
		return error;
	}

	const hint = 'credentials' in login
		? `LivePerson refused the API key stored for ${login.username}. Check it with \`lp-onboard status\`, or provision as an admin `
			+ `of ${accountId} instead: --username ADMIN, its password from LP_PASSWORD or the hidden prompt.`
		: `Check the user name and password of ${login.username}, an admin of ${accountId}, and provision again: `
			+ '--username (LP_USERNAME), the password from LP_PASSWORD, --stdin or the hidden prompt.';
	return new HttpError(
		error.message,
		401,
		{hint, cause: error, ...(error.code === undefined ? {} : {code: error.code})},
	);
}

async function logoutQuietly(api: LivePersonApi, session: Session, domains: Domains): Promise<void> {
	try {
		// Its own short deadline: the run's signal may already be aborted, and the session should still end.
		await api.logout(session, domains, {signal: AbortSignal.timeout(5000)});
	} catch {}
}

async function dryRunTasks(
	tasks: readonly Task[],
	signal: AbortSignal,
	clock: Clock,
	checkpoint: Checkpoint | undefined,
): Promise<ProvisionedTask[]> {
	const planned: ProvisionedTask[] = [];
	for (const task of tasks) {
		const started = clock.now();
		try {
			const reason = await task.check?.(signal);
			const would = `would ${task.title.charAt(0).toLowerCase()}${task.title.slice(1)}`;
			planned.push(provisionedTask(task, checkpoint, {status: reason === undefined ? 'pending' : 'skipped', ms: clock.now() - started, detail: reason ?? would}));
		} catch (error) {
			if (signal.aborted) {
				throw new CancelledError();
			}

			planned.push(provisionedTask(task, checkpoint, {status: 'failed', ms: clock.now() - started, detail: 'could not check', error: errorInfo(error)}));
		}
	}

	return planned;
}

/** Every task as still waiting on the Functions UI step: for a report that stops there. */
function waitingTasks(tasks: readonly Task[], checkpoint: Checkpoint | undefined): ProvisionedTask[] {
	return tasks.map(task => provisionedTask(task, checkpoint, {
		status: 'pending',
		detail: task.id === 'allowlist' ? 'lp-onboard adds them once Functions answers' : 'waits on the Functions UI step',
	}));
}

/**
Provisions LivePerson Functions for one account as far as public sources allow. LivePerson documents provisioning as a
UI flow (an admin agrees to the terms of use in V1, triggers it in V2), so this resolves the domains, logs in, refuses a
non-admin, and lists the account's functions the way lpf does: once that answers, Functions is there and the V1 default
domains are allowlisted with lpf's sourced call. Until then, with a `guide` the admin is walked through the UI and the
bars follow what the list call shows; without one the report says what the UI still needs (`pendingUi`).
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
	// Each call's retries show under its line as they happen ("retrying in 5 s, 1 of 3: …").
	const domains = options.domains ?? await ui.task(`Resolving the service domains of ${accountId}`, async ({retrying}) => api.domains(accountId, {signal, onRetry: retrying}));
	const version = options.versionOverride ?? detectFunctionsVersion(domains);
	const session = await ui.task(`Logging in to ${accountId}`, async ({retrying}) => api.login(accountId, domains, options.login, {signal, onRetry: retrying}))
		.catch((error: unknown) => {
			throw loginRefused(error, options.login, accountId);
		});
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
		const first = await ui.task(`Asking LivePerson Functions about ${accountId}`, async ({retrying}) => api.probeFunctions(context, {signal, onRetry: retrying}));
		if (!first.answering && first.code === appKeyLimitCode) {
			throw appKeyLimitError(accountId);
		}

		const watcher = createFunctionsWatcher({
			api,
			context,
			clock,
			signal,
			first,
			...(options.watch ? {watch: options.watch} : {}),
		});
		const tasks = createProvisioningTasks({api, context, domains, watcher});
		const step: UiStep = {
			accountId,
			version,
			url: options.uiUrl?.(accountId) ?? functionsUiUrl,
			steps: provisioningGuide[version].steps,
		};
		const base: ReportBase = {accountId, version, resumed: checkpoint !== undefined, dryRun: Boolean(options.dryRun)};
		if (options.dryRun) {
			const planned = first.answering
				? await dryRunTasks(tasks, signal, clock, checkpoint)
				: waitingTasks(tasks, checkpoint);
			return provisionReport(base, planned, first.answering ? {} : {pendingUi: step});
		}

		// Asked before anything changes: the Functions UI step (the sandbox page's acceptance included) is a change too.
		if (!options.yes && !(await options.confirm())) {
			throw new CancelledError(`Provisioning of ${accountId} was cancelled; nothing was changed.`);
		}

		if (!first.answering && !(options.guide && await options.guide.start(step, ui))) {
			return provisionReport(base, waitingTasks(tasks, checkpoint), {pendingUi: step});
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
		const report = snapshot.tasks.map(state => stateTask(state, checkpoint, recorded[state.id]?.attempts));
		if (!watcher.expired()) {
			return provisionReport(base, report);
		}

		// Functions never answered within the budget. Its calls' answers before provisioning are not documented, so the
		// admin's reading of the UI decides whether the UI-side tasks are done; the allowlist still needs Functions to
		// answer.
		if (!(options.guide && await options.guide.confirmDone(step))) {
			return provisionReport(base, report, {pendingUi: step});
		}

		const confirmed = report.map(task => task.id === 'allowlist' ? task : provisionedTask(task, checkpoint, {
			status: 'done', attempts: task.attempts, ms: task.ms, detail: 'the Functions UI shows it done (confirmed by the admin)',
		}));
		return provisionReport(base, confirmed, {confirmedByAdmin: true});
	} finally {
		await logoutQuietly(api, session, domains);
	}
}

/**
The exit code for finished reports: 0 when every account is fully provisioned; `pendingUi` when the rest waits only on
the Functions UI step; `partial` otherwise.
*/
export function provisionExitCode(reports: readonly ProvisionReport[]): ExitCode {
	if (reports.every(report => report.ok)) {
		return exitCodes.ok;
	}

	return reports.every(report => report.ok || report.pendingUi) ? exitCodes.pendingUi : exitCodes.partial;
}
