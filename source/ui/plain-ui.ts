import {type Clock, systemClock} from '../clock.js';
import type {RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';
import {clean, elapsedMs, formatDuration, formatPercent, formatRetry, formatTotals, statusSymbols} from './format.js';
import {commandAndComment} from './text.js';
import type {StepInfo, TaskNotes, Ui} from './ui.js';
import {displayUnits, type Unit} from './units.js';

export type PlainUiOptions = {
	/** Plain output never has colour or any other escape code; the option exists so callers can say so explicitly. */
	readonly color?: false;
	/**
	For the duration of `task()`.

	@default systemClock
	*/
	readonly clock?: Pick<Clock, 'now'>;
};

/** Anything with `write(text)`: `process.stderr`, a PassThrough, a test collector. */
export type TextSink = {write(text: string): unknown};

/**
A task runner's progress, one line per change: reads the store the way the Ink view does (subscribe + getSnapshot), as
the same units (a wait several tasks share is one); each change is a new snapshot, and the printer compares each unit
with the last one it printed. Progress only at 25 % steps, so logs stay short.
*/
async function printTaskList(runner: TaskRunner, line: (text: string) => void, clock: Pick<Clock, 'now'>): Promise<RunnerSnapshot> {
	let last = displayUnits(runner.getSnapshot().tasks);
	const printed = new Map<string, number>(); // Last 25 % step printed per unit.
	const printStatus = (position: string, {state: task, members}: Unit) => {
		const head = `${position} ${statusSymbols[task.status]} ${task.title}`;
		const elapsed = elapsedMs(task, clock.now());
		const time = elapsed === undefined ? '' : ` (${formatDuration(elapsed)})`;
		switch (task.status) {
			case 'pending': {
				break;
			}

			case 'running': {
				printed.set(task.id, 0);
				line(members ? `${head}: ${members.map(member => member.title).join('; ')}` : head);
				break;
			}

			case 'done':
			case 'skipped': {
				line(`${head}${time}${task.detail ? ` ${task.detail}` : ''}`);
				break;
			}

			case 'failed': {
				line(`${head}${time} ${task.error?.message ?? 'failed'}`);
				if (task.error?.hint) {
					line(`      → ${task.error.hint}`);
				}

				break;
			}

			case 'blocked': {
				line(`${head} blocked${task.detail ? `: ${task.detail}` : ''}`);
				break;
			}

			case 'cancelled': {
				line(`${head} cancelled`);
				break;
			}
		}
	};

	const print = (unit: Unit, before: Unit, position: string) => {
		const {state: task} = unit;
		if (task.status !== before.state.status) {
			printStatus(position, unit);
		} else if (task.retry && task.retry !== before.state.retry) {
			line(`${position} ↻ ${task.title} ${formatRetry(task.retry)}`);
		} else if (task.progress !== before.state.progress) {
			const step = Math.floor(task.progress * 4);
			if (task.progress < 1 && step > (printed.get(task.id) ?? 0)) {
				printed.set(task.id, step);
				line(`${position} ${statusSymbols.running} ${task.title} ${formatPercent(task.progress)}${task.detail ? ` ${task.detail}` : ''}`);
			}
		}
	};

	const unsubscribe = runner.subscribe(() => {
		const units = displayUnits(runner.getSnapshot().tasks);
		for (const [index, unit] of units.entries()) {
			const before = last[index]!;
			if (unit.state !== before.state) {
				print(unit, before, `[${index + 1}/${units.length}]`);
			}
		}

		last = units;
	});
	try {
		const snapshot = await runner.run();
		line(formatTotals(snapshot));
		return snapshot;
	} finally {
		unsubscribe();
	}
}

/**
The UI for pipes, CI and logs: one line per change, no cursor movement, no ANSI escape codes (text from servers is
cleaned of them too), and progress only at 25 % steps so logs stay short.
*/
export function createPlainUi(stream: TextSink, options: PlainUiOptions = {}, label?: string): Ui {
	const clock = options.clock ?? systemClock;
	// Every line of a message names its account (`provision --accounts`), a multi-line one too.
	const line = (text: string) => {
		stream.write(text.split('\n').map(part => `${label === undefined ? '' : `${label} `}${clean(part)}\n`).join(''));
	};

	return {
		step({index, total, title, done}: StepInfo) {
			line(`Step ${index} of ${total} · ${title}${done ? ' (already done)' : ''}`);
		},
		async task<T>(title: string, run: (notes: TaskNotes) => Promise<T>): Promise<T> {
			const startedAt = clock.now();
			line(`${title}…`);
			try {
				const result = await run({
					retrying(event) {
						line(`${title}… ${formatRetry(event)}`);
					},
				});
				line(`${title}… done (${formatDuration(clock.now() - startedAt)})`);
				return result;
			} catch (error) {
				line(`${title}… failed (${formatDuration(clock.now() - startedAt)}): ${error instanceof Error ? error.message : String(error)}`);
				throw error;
			}
		},
		runTasks: async runner => printTaskList(runner, line, clock),
		table(rows, headers) {
			const width = Math.max(0, ...[...rows, ...(headers ? [headers] : [])].map(([key]) => key.length));
			for (const [key, value] of headers ? [headers, ...rows] : rows) {
				line(`${key.padEnd(width)}  ${value}`);
			}
		},
		info(message) {
			line(message);
		},
		alreadyDone(text) {
			line(`Already done: ${text}`);
		},
		success(title, lines = []) {
			line(`${statusSymbols.done} ${title}`);
			for (const text of lines) {
				// A command to paste: its comment above it, the command whole (a log or a pipe has no width to fit).
				const command = commandAndComment(text);
				if (command) {
					line(`  ${command.lead}# ${command.comment}`);
					line(`  ${command.lead}${command.command}`);
				} else {
					line(`  ${text}`);
				}
			}
		},
		warn(message) {
			line(`⚠ ${message}`);
		},
		group(name) {
			// Accounts run side by side: every line says which one it belongs to.
			const {step: _step, group: _group, end: _end, alreadyDone: _alreadyDone, ...ui}
				= createPlainUi(stream, options, name);
			return {
				...ui,
				close({ok, text}) {
					stream.write(`${name} ${ok ? statusSymbols.done : statusSymbols.failed} ${clean(text)}\n`);
				},
			};
		},
		async end() {},
	};
}
