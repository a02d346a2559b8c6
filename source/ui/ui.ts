import type {RetryNotice, RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';

/** What a `ui.task()` can say while it runs. */
export type TaskNotes = {
	/** A call pauses before a retry (the HTTP client's `onRetry`): "retrying in 5 s, 1 of 3: LivePerson answered 503". */
	readonly retrying: (event: RetryNotice) => void;
};

export type StepInfo = {
	/** 1-based: `{index: 2, total: 5}` reads "Step 2 of 5". */
	readonly index: number;
	readonly total: number;
	readonly title: string;
	/** The step was done on an earlier run and is being skipped. */
	readonly done?: boolean;
	/** Short names of all the steps, in order, for the stepper ("✔ Account ─ ● Domains ─ ○ API key …"). */
	readonly names?: readonly string[];
};

/**
What the wizard shows, apart from prompts. `createInkUi` draws it live on a terminal; `createPlainUi` prints one line
per change for pipes, CI and logs. Live work (`task`, `runTasks`, groups) may overlap; each is drawn until it settles.
*/
export type Ui = {
	step(step: StepInfo): void;
	/**
	Shows a spinner (Ink) or "title…" / "title… done" lines (plain) while `run` works; returns or rethrows its result.
	*/
	task<T>(title: string, run: (notes: TaskNotes) => Promise<T>): Promise<T>;
	/** Runs the runner and shows its tasks live until every one is settled. Never rejects for task failures. */
	runTasks(runner: TaskRunner): Promise<RunnerSnapshot>;
	table(rows: ReadonlyArray<readonly [string, string]>, headers?: readonly [string, string]): void;
	info(message: string): void;
	/** The open step turned out to be done already (`text` says what was found): Ink folds the step into one line. */
	alreadyDone(text: string): void;
	success(title: string, lines?: readonly string[]): void;
	warn(message: string): void;
	/**
	A Ui for one of several jobs running at once (an account of `provision --accounts`): Ink draws it as a block titled
	with `label` and its state; plain output prefixes each line with `label`. `close` ends the block with its outcome.
	*/
	group(label: string): UiGroup;
	/**
	Ends the live phase: Ink unmounts and hands the terminal back, for a prompt or for output of the caller's own. The next
	call draws again. Call it before every prompt and before exiting.
	*/
	end(): Promise<void>;
};

/** What work that may run beside other work draws with: no steps, no groups of its own, no say over the phase. */
export type UiBlock = Omit<Ui, 'group' | 'end' | 'step' | 'alreadyDone'>;

export type UiGroup = UiBlock & {
	close(outcome: {readonly ok: boolean; readonly text: string}): void;
};
