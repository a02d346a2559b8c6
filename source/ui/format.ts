import type {RetryNotice, RunnerSnapshot, TaskState, TaskStatus} from '../tasks/task-runner.js';

/** One symbol per status, shared by the Ink views and the plain printer so both read the same. */
export const statusSymbols: Record<TaskStatus, string> = {
	pending: '○',
	running: '▸',
	done: '✔',
	skipped: '↷',
	failed: '✖',
	blocked: '⊘',
	cancelled: '■',
};

/** Frames of the running spinner (cli-spinners "dots"). */
export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function spinnerFrame(frame: number): string {
	return spinnerFrames[Math.abs(Math.trunc(frame)) % spinnerFrames.length]!;
}

/** `0.4s`, `12.3s`, `2m 05s`. */
export function formatDuration(ms: number): string {
	const safe = Math.max(0, ms);
	if (safe < 60_000) {
		return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
	}

	const seconds = Math.floor(safe / 1000);
	return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** `0..1` (clamped by the task store) → `42%`, rounded down so 100% only shows once the work is complete. */
export function formatPercent(progress: number): string {
	return `${Math.floor(progress * 100)}%`;
}

/** How long a task ran, or has been running at `now`; undefined before it started. */
export function elapsedMs(task: TaskState, now: number): number | undefined {
	if (task.startedAt === undefined) {
		return undefined;
	}

	return (task.endedAt ?? now) - task.startedAt;
}

/**
Removes control characters (and with them ANSI escape sequences' ESC) from text that came from outside, such as server
error messages, so it cannot drive the terminal or put escape codes into logs.
*/
export function clean(text: string): string {
	return text.replaceAll(/\u001B\[[0-?]*[ -/]*[@-~]/g, '').replaceAll(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

/** "3 done, 1 skipped, 1 failed in 4.2s" */
export function formatTotals(snapshot: RunnerSnapshot): string {
	const order: readonly TaskStatus[] = ['done', 'skipped', 'failed', 'blocked', 'cancelled', 'running', 'pending'];
	const counts = order
		.map(status => [status, snapshot.tasks.filter(task => task.status === status).length] as const)
		.filter(([, count]) => count > 0)
		.map(([status, count]) => `${count} ${status}`);
	const time = snapshot.startedAt !== undefined && snapshot.endedAt !== undefined ? ` in ${formatDuration(snapshot.endedAt - snapshot.startedAt)}` : '';
	return `${counts.length > 0 ? counts.join(', ') : 'No tasks'}${time}`;
}

/** "retrying in 5 s, 1 of 3: LivePerson answered 503" — a call's retry, as it happens. */
export function formatRetry({attempt, maxAttempts, delayMs, reason}: RetryNotice): string {
	const seconds = delayMs < 1000 ? (Math.ceil(delayMs / 100) / 10).toFixed(1) : String(Math.round(delayMs / 1000));
	return `retrying in ${seconds} s, ${attempt} of ${maxAttempts}: ${reason}`;
}
