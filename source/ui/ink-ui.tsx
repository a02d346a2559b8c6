import {render, type Instance} from 'ink';
import type {ReactElement} from 'react';
import {type Clock, systemClock} from '../clock.js';
import type {RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';
import {formatRetry} from './format.js';
import type {Finished} from './components/finished.js';
import type {TaskNotes, Ui, UiBlock} from './ui.js';
import {Screen, throttle, type Live, type LiveGroup, type LiveTask, type LiveTasks, type Model} from './ink-screen.js';

/** A finished row before it has its key. */
type Row = Finished extends infer Item ? (Item extends Finished ? Omit<Item, 'key'> : never) : never;

export type InkUiOptions = {
	/**
	A terminal's stdin is read in raw mode while a phase is live, so keys typed then neither echo (an echo moves the cursor
	under Ink and leaves a stale row) nor wait in the terminal for the shell after exit. Prompts get it back between
	phases.
	*/
	readonly stdin: NodeJS.ReadStream;
	/** What Ctrl-C does while a phase is live: in raw mode the terminal sends no SIGINT, so the key comes here instead. */
	readonly onInterrupt: () => void;
	/** Where to draw: stderr, so stdout carries only results. */
	readonly stdout: NodeJS.WriteStream;
	/**
	The clock the task runners use, for elapsed times.

	@default systemClock
	*/
	readonly clock?: Pick<Clock, 'now'>;
	/** How often spinners and elapsed times move, in ms; tests set 0. */
	readonly tickMs?: number;
	/** At most one redraw per this many ms for task progress; tests set 0. */
	readonly throttleMs?: number;
};

/** A live terminal: what the phase draws, and the size it draws at. */
type Size = {readonly width: number; readonly height: number};

/**
The escapes that erase a live area of rows `widths` cells wide that a terminal re-wrapped to `width` columns, and move
the cursor back down as many rows as the area had, where Ink's own erase of the area starts; nothing when it still
takes one row per row.
*/
function eraseRewrapped(widths: readonly number[], width: number): string {
	const taken = widths.reduce((total, cells) => total + Math.max(1, Math.ceil(cells / width)), 0);
	return taken > widths.length ? `${'\u001B[2K\u001B[1A'.repeat(taken)}\u001B[2K\u001B[${widths.length}B\u001B[G` : '';
}

/**
The terminal's size as the terminal has it now. Node's `getWindowSize()` returns the size it read when it last
handled SIGWINCH, so a draw between the terminal's re-wrap and that signal would not see the change; its handle asks
the terminal (TIOCGWINSZ), as Node's own SIGWINCH handler does. Nothing when `stream` is no terminal.
*/
function askSize(stream: NodeJS.WriteStream): [columns?: number, rows?: number] {
	const handle = (stream as {_handle?: {getWindowSize?: (size: number[]) => number}})._handle;
	const size: number[] = [];
	if (stream.isTTY && typeof handle?.getWindowSize === 'function' && handle.getWindowSize(size) === 0) {
		return [size[0], size[1]];
	}

	return stream.isTTY && typeof stream.getWindowSize === 'function' ? stream.getWindowSize() : [];
}

/** `stream` with `before` called before each write and `after` after it; everything else is the stream's own. */
function guardWrites(
	stream: NodeJS.WriteStream,
	{before, after}: {before: () => void; after: () => void},
): NodeJS.WriteStream {
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') {
				return (...args: Parameters<NodeJS.WriteStream['write']>) => {
					before();
					const written = target.write(...args);
					after();
					return written;
				};
			}

			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
		set: (target, property, value) => Reflect.set(target, property, value, target),
	});
}

/**
The Ink instance of one phase and the widths it drew: mounted at the phase's first row, unmounted at `end()`.

A terminal that gets narrower re-wraps the rows already on screen, so a live area of N rows now takes more; Ink erases
only N and the rest would stay as stale rows. The resize handler runs before Ink's own: it erases every row the live
area now takes, then moves the cursor back down N rows, where Ink's erase of N rows starts.

A frame laid out just before the terminal re-wrapped (a tick, an answer) reaches it just after: its own erase of N rows
is then short, and what it leaves above the live area no later erase reaches. So every write of Ink's goes through a
guard that asks the terminal its width first; narrower than the frame on screen was drawn at, it erases that frame's
re-wrapped rows before the write, and the 'resize' (its own, after the write) takes it from there.
*/
function createSurface({stdin, stdout, size, screen, resized}: {
	readonly stdin: NodeJS.ReadStream;
	readonly stdout: NodeJS.WriteStream;
	readonly size: () => Size;
	/**
	The element to draw; it reports the widths of the live rows of each React commit to `onRows`, and calls `onTick` before
	each spinner tick.
	*/
	readonly screen: (onRows: (widths: readonly number[]) => void, onTick: () => void) => ReactElement;
	readonly resized: (size: Size) => void;
}) {
	let app: Instance | undefined;
	let exited: Promise<unknown> = Promise.resolve();
	// Widths of the live rows Ink drew last: those of the last React commit, taken over when Ink renders it (Ink throttles
	// its writes, so a commit is not on screen before Ink's own render of it).
	let committed: readonly number[] = [];
	let drawn: readonly number[] = [];
	let drawnWidth = size().width;
	// The widths of the live rows on the terminal now: the last frame Ink wrote (`drawn` is the one it is writing).
	let onScreen: readonly number[] = [];
	// The narrower width the guard already erased for, until the 'resize' for it.
	let erasedFor: number | undefined;
	const onRows = (widths: readonly number[]) => {
		committed = widths;
	};

	/**
	Takes the terminal's size from the terminal itself before a draw. Node updates `columns` only when it handles SIGWINCH,
	and a timer or an answer can run first (right after the terminal re-wrapped its rows): that draw would be fitted to the
	old width and erase too few rows, leaving stale ones. A changed size is handled here, as its 'resize' (Node's own
	refresh then finds nothing changed and emits none).
	*/
	const syncSize = () => {
		const [columns, rows] = askSize(stdout);
		if (columns && rows && (columns !== stdout.columns || rows !== stdout.rows)) {
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
		}
	};

	const onResize = () => {
		const {width, height} = size();
		if (width < drawnWidth) {
			stdout.write(eraseRewrapped(drawn, width));
		}

		drawnWidth = width;
		erasedFor = undefined;
		resized({width, height});
	};

	const guarded = guardWrites(stdout, {
		before() {
			const [columns] = askSize(stdout);
			if (columns && columns < drawnWidth && columns !== erasedFor) {
				erasedFor = columns;
				stdout.write(eraseRewrapped(onScreen, columns));
				// After the write that is under way (Ink counts the rows it drew once it has written them).
				queueMicrotask(syncSize);
			}
		},
		after() {
			onScreen = drawn;
		},
	});

	return {
		get mounted() {
			return app !== undefined;
		},
		rerender() {
			syncSize();
			app?.rerender(screen(onRows, syncSize));
		},
		mount(width: number) {
			drawnWidth = width;
			// An @inquirer prompt's teardown (readline's close) leaves stdin paused; Ink's `readable` listener then never
			// fires and Ctrl-C, sent as a key in raw mode, would be read by nobody. Resumed here, Ink reads every key again.
			stdin.resume?.();
			app = render(screen(onRows, syncSize), {
				stdin,
				stdout: guarded,
				stderr: guarded,
				exitOnCtrlC: false,
				patchConsole: false,
				// Draws are already paced (the tick, the throttled changes): Ink's own 30 fps throttle only defers a computed
				// frame, which a resize can then overtake (drawn at the old width onto re-wrapped rows). 1 ms keeps a frame's
				// write with it.
				maxFps: 1000,
				onRender() {
					drawn = committed;
				},
			});
			exited = app.waitUntilExit();
			stdout.prependListener('resize', onResize);
		},
		async unmount() {
			const current = app;
			app = undefined;
			stdout.off('resize', onResize);
			current?.unmount();
			await exited;
			drawn = [];
			committed = [];
			onScreen = [];
			// Ink 6.8 unref()s stdin when raw mode ends; the next @inquirer prompt needs it, or the process quietly exits.
			// Paused first: a stdin still reading (Ink read it in raw mode) and ref()ed would keep the process alive after
			// its last prompt; the next prompt resumes it.
			stdin.pause?.();
			stdin.ref?.();
		},
	};
}

/**
What a live item needs of the screen: add and remove it, redraw, record a finished row, and the open step section.
*/
type Board = {
	readonly clock: Pick<Clock, 'now'>;
	readonly throttleMs: number;
	nextKey(): number;
	addLive(item: Live, group?: LiveGroup): void;
	removeLive(item: Live, group?: LiveGroup): void;
	changed(): void;
	finish(row: Row): void;
	/** Adds a task that finished to the open step section; false when there is none. */
	addToSection(title: string, elapsed: number): boolean;
};

/** One task on the board: a live row (with its retries under it) until it settles, then a finished row. */
async function runTask<T>(
	board: Board,
	title: string,
	run: (notes: TaskNotes) => Promise<T>,
	group?: LiveGroup,
): Promise<T> {
	const item: LiveTask = {kind: 'task', key: board.nextKey(), title};
	const startedAt = board.clock.now();
	board.addLive(item, group);
	const settle = (status: 'done' | 'failed', error?: string) => {
		board.removeLive(item, group);
		const elapsed = board.clock.now() - startedAt;
		if (group) {
			group.done++;
		} else if (status !== 'done' || !board.addToSection(title, elapsed)) {
			board.finish({kind: 'task', title, status, elapsed, ...(error ? {error} : {})});
		}
	};

	try {
		const result = await run({
			retrying(event) {
				item.note = formatRetry(event);
				board.changed();
			},
		});
		settle('done');
		return result;
	} catch (error) {
		settle('failed', error instanceof Error ? error.message : String(error));
		throw error;
	}
}

/** A task runner's bars on the board, redrawn at most every `throttleMs`, then its finished list. */
async function runTaskList(board: Board, runner: TaskRunner, group?: LiveGroup): Promise<RunnerSnapshot> {
	const item: LiveTasks = {kind: 'tasks', key: board.nextKey(), runner};
	board.addLive(item, group);
	const stop = runner.subscribe(throttle(board.changed, board.throttleMs));
	try {
		return await runner.run();
	} finally {
		stop();
		board.removeLive(item, group);
		if (!group) {
			board.finish({kind: 'tasks', tasks: runner.getSnapshot().tasks, now: board.clock.now()});
		}
	}
}

/** What an account block (`label`) or the whole screen (no label) draws with. */
function blockOn(board: Board, label = '', group?: LiveGroup): UiBlock {
	return {
		task: async (title, run) => runTask(board, title, run, group),
		runTasks: async runner => runTaskList(board, runner, group),
		table(rows, headers) {
			board.finish({kind: 'table', rows, ...(headers ? {headers} : {}), label});
		},
		info(text) {
			board.finish({kind: 'message', tone: 'info', text, label});
		},
		success(title, lines = []) {
			board.finish({kind: 'success', title: label ? `${label.trimEnd()} · ${title}` : title, lines});
		},
		warn(text) {
			board.finish({kind: 'message', tone: 'warning', text, label});
		},
	};
}

/**
The terminal UI. Ink is mounted once per phase, from the first thing drawn until `end()` (before a prompt, or at exit):
finished lines go to `<Static>`, and only what still runs is redrawn, every row fitted to the terminal's width. Several
live items (tasks, task lists, account blocks) can be on screen at once. cli.tsx imports this file lazily; with
ink-screen.tsx it is all that loads Ink.

The closure keeps the model, which is plain data: finished rows are records (components/finished.tsx draws them), live
items are what still runs (ink-screen.tsx draws them). The surface keeps the Ink instance (a mount per phase) and the
resize erase; runTask and runTaskList keep a live item's life.
*/
export function createInkUi({
	stdin, stdout, onInterrupt, clock = systemClock, tickMs = 80, throttleMs = 50,
}: InkUiOptions): Ui {
	const size = () => ({width: stdout.columns || 80, height: stdout.rows || 24});
	let model: Model = {finished: [], live: [], ...size()};
	let nextKey = 0;
	const surface = createSurface({
		stdin,
		stdout,
		size,
		screen: (onRows, onTick) => <Screen {...{model, tickMs, onInterrupt, onRows, onTick}} now={() => clock.now()}/>,
		resized: next => update(next),
	});
	// Every change redraws at once (a synchronous render): what a method drew is on screen when it returns.
	const changed = () => surface.rerender();

	const update = (next: Partial<Model>) => {
		model = {...model, ...next};
		changed();
	};

	const mount = () => {
		if (!surface.mounted) {
			model = {finished: [], live: model.live, ...size()};
			surface.mount(model.width);
		}
	};

	/** Adds a finished row; the open step section goes to `<Static>` first unless `fold` (the row replaces it). */
	const finish = (row: Row, {fold = false} = {}) => {
		mount();
		const {section} = model;
		const flushed: Finished[] = section && !fold ? [{key: nextKey++, kind: 'step', step: section.step, done: section.done}] : [];
		update({finished: [...model.finished, ...flushed, {...row, key: nextKey++}], section: undefined});
	};

	/** Folds the open step section into one finished row, as it stands. */
	const closeSection = () => {
		if (model.section) {
			finish({kind: 'step', step: model.section.step, done: model.section.done}, {fold: true});
		}
	};

	const board: Board = {
		clock,
		throttleMs,
		nextKey: () => nextKey++,
		addLive(item, group) {
			mount();
			if (group) {
				group.items.push(item as LiveTask | LiveTasks);
				changed();
			} else {
				update({live: [...model.live, item]});
			}
		},
		removeLive(item, group) {
			if (group) {
				group.items = group.items.filter(other => other !== item);
				changed();
			} else {
				update({live: model.live.filter(other => other !== item)});
			}
		},
		changed,
		finish,
		addToSection(title, elapsed) {
			if (!model.section) {
				return false;
			}

			update({section: {...model.section, done: [...model.section.done, {title, elapsed}]}});
			return true;
		},
	};

	return {
		...blockOn(board),
		step(step) {
			closeSection();
			mount();
			update({section: {step, done: []}});
		},
		alreadyDone(text) {
			const {section} = model;
			if (section) {
				finish({kind: 'folded', step: section.step, text}, {fold: true});
			} else {
				finish({kind: 'message', tone: 'info', text: `Already done: ${text}`, label: ''});
			}
		},
		group(label) {
			closeSection();
			const group: LiveGroup = {kind: 'group', key: nextKey++, label, items: [], done: 0};
			board.addLive(group);
			return {
				...blockOn(board, `${label}  `, group),
				close({ok, text}) {
					board.removeLive(group);
					finish({kind: 'closed', label, ok, text});
				},
			};
		},
		async end() {
			closeSection();
			if (surface.mounted) {
				await surface.unmount();
				model = {...model, finished: []};
			}
		},
	};
}
