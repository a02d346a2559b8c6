// The Ink view of one phase: what is finished (in <Static>) and what still runs, fitted to the terminal. It only draws;
// ink-ui.tsx owns the phases, the terminal and the model.
import {useInsertionEffect} from 'react';
import {Box, Static, useInput, useStdin} from 'ink';
import type {TaskRunner} from '../tasks/task-runner.js';
import {spinnerFrame} from './format.js';
import {rowWidth, spinnerRow, stepRows, taskRows, type Row} from './rows.js';
import {Rows} from './components/rows.js';
import {FinishedRow, type DoneTask, type Finished} from './components/finished.js';
import {fit} from './text.js';
import {useFrame} from './components/use-frame.js';
import type {StepInfo} from './ui.js';

/** A running `ui.task()`; `note` is what it says meanwhile (a retry as it happens). */
export type LiveTask = {readonly kind: 'task'; readonly key: number; readonly title: string; note?: string};
export type LiveTasks = {readonly kind: 'tasks'; readonly key: number; readonly runner: TaskRunner};
export type LiveGroup = {readonly kind: 'group'; readonly key: number; readonly label: string; items: Array<LiveTask | LiveTasks>; done: number};
export type Live = LiveTask | LiveTasks | LiveGroup;
export type {Finished} from './components/finished.js';
/**
The current step while it only has its header and finished one-line tasks: drawn live, so it can still fold into one
line.
*/
export type Section = {readonly step: StepInfo; readonly done: readonly DoneTask[]};
export type Model = {
	readonly finished: readonly Finished[];
	readonly section?: Section;
	readonly live: readonly Live[];
	readonly width: number;
	readonly height: number;
};

/** The live rows of everything still running, fitted to the width and kept below the terminal's height. */
function liveRows(model: Model, now: number, frame: number): Row[] {
	const {width} = model;
	const rows: Row[] = [];
	if (model.section) {
		rows.push(...stepRows(model.section.step, width), ...model.section.done.map(({title, elapsed}) => spinnerRow({title, status: 'done', frame, elapsed, width})));
	}

	for (const item of model.live) {
		if (item.kind === 'task') {
			rows.push(spinnerRow({title: item.title, status: 'running', frame, width}), ...(item.note ? [[{text: fit(`  ${item.note}`, width), dim: true}]] : []));
		} else if (item.kind === 'tasks') {
			rows.push(...taskRows(item.runner.getSnapshot().tasks, {now, frame, width}));
		} else {
			const tasks = item.items.flatMap(sub => (sub.kind === 'tasks' ? sub.runner.getSnapshot().tasks : []));
			const single = item.items.find(sub => sub.kind === 'task');
			const settled = tasks.filter(task => task.status !== 'pending' && task.status !== 'running').length;
			const failed = tasks.filter(task => task.status === 'failed').length;
			const state = tasks.length > 0 ? `${settled} of ${tasks.length} tasks settled${failed > 0 ? `, ${failed} failed` : ''}` : (single ? `${single.title}…` : 'waiting');
			rows.push([{text: spinnerFrame(frame), color: 'cyan'}, {text: ` ${fit(item.label, width - 2)}`, bold: true}, {text: fit(` · ${state}`, width - 2 - item.label.length), dim: true}]);
			rows.push(...taskRows(tasks.filter(task => task.status === 'running'), {now, frame, width, indent: 2}));
		}
	}

	// Ink clears the whole screen when its live output reaches the terminal's height; stay below it.
	const room = Math.max(1, model.height - 2);
	return rows.length <= room ? rows : [...rows.slice(0, room - 1), [{text: fit(`… ${rows.length - room + 1} more rows`, width), dim: true}]];
}

export type ScreenProps = {
	readonly model: Model;
	readonly now: () => number;
	readonly tickMs: number;
	/** Told the width of every live row drawn, for the resize handling. */
	readonly onRows: (widths: readonly number[]) => void;
	readonly onInterrupt: () => void;
	/** Called before each frame's tick redraws (the spinners, the elapsed times). */
	readonly onTick?: () => void;
};

/** One Ink phase: finished lines in `<Static>` (written once, never redrawn), then the live rows. */
export function Screen({model, now, tickMs, onRows, onInterrupt, onTick}: ScreenProps) {
	// Reading every key (raw mode, no echo) and dropping all but Ctrl-C; a stdin that is no terminal has no echo to stop.
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		// Keys typed just before Ctrl-C can arrive with it in one read ("qzq\u0003"), which Ink hands over as plain text.
		if ((input === 'c' && key.ctrl) || input.includes('\u0003')) {
			onInterrupt();
		}
	}, {isActive: isRawModeSupported});
	const frame = useFrame(model.live.length > 0, tickMs, onTick);
	const rows = liveRows(model, now(), frame);
	// An insertion effect runs before Ink's render of this commit (Ink renders from the reconciler's resetAfterCommit,
	// which comes before layout effects): an immediate render must take over these widths, not the previous commit's.
	useInsertionEffect(() => {
		onRows(rows.map(row => rowWidth(row)));
	});
	return (
		<>
			<Static items={[...model.finished]}>
				{item => <Box key={item.key} width={model.width}><FinishedRow item={item} width={model.width} /></Box>}
			</Static>
			<Rows rows={rows} />
		</>
	);
}

/** Calls `listener` at most once per `ms` while changes keep coming, and once after the last one. */
export function throttle(listener: () => void, ms: number): () => void {
	if (ms <= 0) {
		return listener;
	}

	let timer: ReturnType<typeof setTimeout> | undefined;
	let dirty = false;
	const fire = () => {
		dirty = false;
		listener();
		timer = setTimeout(() => {
			timer = undefined;
			if (dirty) {
				fire();
			}
		}, ms);
	};

	return () => {
		if (timer === undefined) {
			fire();
		} else {
			dirty = true;
		}
	};
}
