import type {RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';

export type StepInfo = {
	/** 1-based: `{index: 2, total: 5}` reads "Step 2 of 5". */
	readonly index: number;
	readonly total: number;
	readonly title: string;
	/** The step was done on an earlier run and is being skipped. */
	readonly done?: boolean;
};

/**
What the wizard shows, apart from prompts. `createInkUi` draws it live on a terminal; `createPlainUi` prints one line per change
for pipes, CI and logs. Methods run one after another: a message sent while a live phase is on screen appears after it.
*/
export type Ui = {
	step(step: StepInfo): void;
	/** Shows a spinner (Ink) or "title…" / "title… done" lines (plain) while `run` works; returns or rethrows its result. */
	task<T>(title: string, run: () => Promise<T>): Promise<T>;
	/** Runs the runner and shows its tasks live until every one is settled. Never rejects for task failures. */
	runTasks(runner: TaskRunner): Promise<RunnerSnapshot>;
	table(rows: ReadonlyArray<readonly [string, string]>, headers?: readonly [string, string]): void;
	info(message: string): void;
	success(title: string, lines?: readonly string[]): void;
	warn(message: string): void;
};
