import type {TaskState, TaskStatus} from '../tasks/task-runner.js';
import {clean, elapsedMs, formatDuration, formatPercent, formatRetry, spinnerFrame, statusSymbols} from './format.js';
import {columns, fit, fitPad, wrapWords} from './text.js';
import {displayUnits} from './units.js';

/** A piece of a row with one style. */
export type Segment = {readonly text: string; readonly color?: string; readonly dim?: boolean; readonly bold?: boolean};
/**
One terminal row of the live area, never wider than the width it was laid out for. Live rows are plain data so the UI
knows exactly how wide each drawn row is (it needs that to erase them after the terminal re-wraps them on a resize).
*/
export type Row = readonly Segment[];

export function rowWidth(row: Row): number {
	return row.reduce((total, segment) => total + columns(segment.text), 0);
}

const statusColors: Record<TaskStatus, string | undefined> = {
	pending: undefined,
	running: 'cyan',
	done: 'green',
	skipped: 'green',
	failed: 'red',
	blocked: 'yellow',
	cancelled: 'yellow',
};

const dimmed = new Set<TaskStatus>(['pending', 'skipped', 'blocked', 'cancelled']);

/** Bar cells: 20 when there is room, down to 6, none below 6 columns of room. */
const maxBar = 20;
const minBar = 6;

/**
Rows of a task list fitted to `width`: "▸ Title  ███░░░  42%   1.2s  detail", the bar shrinking and the title cut with
"…" as the terminal narrows. The detail (why a task waits, a retry as it happens) goes on a row of its own when it
does not fit beside the bar, rather than being dropped. Tasks that share a wait are one bar, their titles listed under
it; a failed task's error and hint on rows of their own.
*/
export function taskRows(
	tasks: readonly TaskState[],
	{now, frame, width, indent = 0}: {now: number; frame: number; width: number; indent?: number},
): Row[] {
	const pad = ' '.repeat(indent);
	const room = width - indent;
	const units = displayUnits(tasks);
	const longest = Math.max(0, ...units.map(({state}) => columns(state.title)));
	// "S " + title + " " + bar + " 100%" + " 12.3s"
	const fixed = 2 + 1 + 5 + 7;
	const bar = Math.min(maxBar, Math.max(minBar, room - fixed - longest - 2));
	const showBar = room - fixed - bar >= 8;
	const titleWidth = Math.max(1, Math.min(longest, room - 2 - (showBar ? 1 + bar + 5 + 7 : 0)));
	const rows: Row[] = [];
	for (const {state: task, members} of units) {
		const color = statusColors[task.status];
		const dim = dimmed.has(task.status);
		const symbol = task.status === 'running' ? spinnerFrame(frame) : statusSymbols[task.status];
		const row: Segment[] = [{text: pad}, {text: symbol, color}, {text: ` ${fitPad(task.title, titleWidth)}`, dim}];
		if (showBar) {
			const value = task.progress; // 0..1: the task store clamps it.
			const filled = Math.floor(value * bar);
			const elapsed = elapsedMs(task, now);
			row.push(
				{text: ' '},
				{text: '█'.repeat(filled), color},
				{text: '░'.repeat(bar - filled), dim: true},
				{text: ` ${formatPercent(value).padStart(4)}`, dim},
				{text: ` ${(elapsed === undefined ? '' : formatDuration(elapsed)).padStart(6)}`, dim},
			);
		}

		const note = task.error ? '' : (task.retry ? formatRetry(task.retry) : clean(task.detail ?? ''));
		const left = width - rowWidth(row) - 2;
		const beside = note !== '' && columns(note) <= left;
		if (beside) {
			row.push({text: `  ${note}`, dim: true});
		}

		rows.push(row);
		if (note !== '' && !beside) {
			rows.push([{text: fit(`${pad}  ${note}`, width), dim: true}]);
		}

		for (const member of members ?? []) {
			const memberDim = dimmed.has(member.status) || member.status === 'running';
			rows.push([
				{text: `${pad}  `},
				{text: member.status === 'running' ? '·' : statusSymbols[member.status], color: member.status === 'running' ? undefined : statusColors[member.status]},
				{text: fit(` ${member.title}`, width - indent - 3), dim: memberDim},
			]);
		}

		if (task.error) {
			// Whole, wrapped between words: the error is what the admin acts on.
			const wrap = (text: string, lead: string) => wrapWords(clean(text), Math.max(10, width - indent - 4)).map((line, at) => `${pad}${at === 0 ? lead : '    '}${line}`);
			rows.push(...wrap(task.error.message, '  ').map((text): Row => [{text: fit(text, width), color: 'red'}]));
			if (task.error.hint) {
				rows.push(...wrap(task.error.hint, '  → ').map((text): Row => [{text: fit(text, width), dim: true}]));
			}
		}
	}

	return rows;
}

/**
The row of one `ui.task()`: "⠋ Looking up domains…", "✔ Looking up domains (0.4s)", "✖ Signing in (0.1s)  HTTP 401".
*/
export function spinnerRow({title, status, frame, elapsed, error, width, indent = 0}: {title: string; status: 'running' | 'done' | 'failed'; frame: number; elapsed?: number; error?: string; width: number; indent?: number}): Row {
	const symbol = status === 'running' ? spinnerFrame(frame) : statusSymbols[status];
	const time = elapsed === undefined || status === 'running' ? '' : ` (${formatDuration(elapsed)})`;
	const head = status === 'running' ? `${title}…` : title;
	const room = width - indent - 2 - columns(time);
	const row: Segment[] = [{text: ' '.repeat(indent)}, {text: symbol, color: statusColors[status]}, {text: ` ${fit(head, room)}`}, {text: time, dim: true}];
	const left = width - rowWidth(row) - 2;
	if (error && left >= 4) {
		row.push({text: `  ${fit(clean(error), left)}`, color: 'red'});
	}

	return row;
}

/**
The step header: "Step 3 of 6 · API key" and, when the steps' names are known, the stepper under it,
"✔ Account ─ ✔ Domains ─ ● API key ─ ○ Bot user ─ ○ Functions ─ ○ Summary", down to "✔ ✔ ● ○ ○ ○" on a narrow terminal.
*/
export function stepRows(
	{index, total, title, done, names}: {
		index: number;
		total: number;
		title: string;
		done?: boolean;
		names?: readonly string[];
	},
	width: number,
): Row[] {
	const head = `Step ${index} of ${total}`;
	const rows: Row[] = [[
		{text: fit(head, width), color: 'cyan', bold: true},
		{text: fit(` · ${title}`, width - columns(head)), bold: true},
		{text: fit(done ? ' (already done)' : '', width - columns(`${head} · ${title}`)), dim: true},
	]];
	if (names && names.length > 0) {
		const mark = (position: number) => (position < index ? '✔' : (position === index ? '●' : '○'));
		const color = (position: number) => (position < index ? 'green' : (position === index ? 'cyan' : undefined));
		const full = names.map((name, position) => ({text: `${mark(position + 1)} ${name}`, color: color(position + 1), position: position + 1}));
		const wide = full.map(item => item.text).join(' ─ ');
		const items = columns(wide) <= width ? full : names.map((name, position) => ({...full[position]!, text: position + 1 === index ? `${mark(position + 1)} ${name}` : mark(position + 1)}));
		const separator = columns(wide) <= width ? ' ─ ' : ' ';
		const row: Segment[] = [];
		let used = 0;
		for (const [position, item] of items.entries()) {
			const text = `${position > 0 ? separator : ''}${item.text}`;
			const fitted = fit(text, width - used);
			row.push({text: fitted, color: item.color, dim: item.position > index, bold: item.position === index});
			used += columns(fitted);
		}

		rows.push(row);
	}

	return rows;
}
