import {useInsertionEffect, type ReactElement} from 'react';
import {Box, Static, Text, render, useInput, useStdin, type Instance} from 'ink';
import {type Clock, systemClock} from '../clock.js';
import type {RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';
import {clean, spinnerFrame, statusSymbols} from './format.js';
import {rowWidth, spinnerRow, stepRows, taskRows, type Row} from './rows.js';
import {RowText, Rows, Wrapped} from './components/rows.js';
import {columns, commandAndComment, fit, shellLines} from './text.js';
import {useFrame} from './components/use-frame.js';
import type {StepInfo, Ui, UiGroup} from './ui.js';

export type InkUiOptions = {
	/**
	A terminal's stdin is read in raw mode while a phase is live, so keys typed then neither echo (an echo moves the cursor
	under Ink and leaves a stale row) nor wait in the terminal for the shell after exit. Prompts get it back between phases.
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

type LiveTask = {readonly kind: 'task'; readonly key: number; readonly title: string};
type LiveTasks = {readonly kind: 'tasks'; readonly key: number; readonly runner: TaskRunner};
type LiveGroup = {readonly kind: 'group'; readonly key: number; readonly label: string; items: Array<LiveTask | LiveTasks>; done: number};
type Live = LiveTask | LiveTasks | LiveGroup;
type Finished = {readonly key: number; readonly element: ReactElement};
/** The current step while it only has its header and finished one-line tasks: drawn live, so it can still fold into one line. */
type Section = {readonly step: StepInfo; readonly done: ReadonlyArray<{readonly title: string; readonly elapsed: number}>};
type Model = {readonly finished: readonly Finished[]; readonly section?: Section; readonly live: readonly Live[]; readonly width: number; readonly height: number};

/** The live rows of everything still running, fitted to the width and kept below the terminal's height. */
function liveRows(model: Model, now: number, frame: number): Row[] {
	const {width} = model;
	const rows: Row[] = [];
	if (model.section) {
		rows.push(...stepRows(model.section.step, width), ...model.section.done.map(({title, elapsed}) => spinnerRow({title, status: 'done', frame, elapsed, width})));
	}

	for (const item of model.live) {
		if (item.kind === 'task') {
			rows.push(spinnerRow({title: item.title, status: 'running', frame, width}));
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

type ScreenProps = {
	readonly model: Model;
	readonly now: () => number;
	readonly tickMs: number;
	/** Told the width of every live row drawn, for the resize handling. */
	readonly onRows: (widths: readonly number[]) => void;
	readonly onInterrupt: () => void;
};

/** One Ink phase: finished lines in `<Static>` (written once, never redrawn), then the live rows. */
function Screen({model, now, tickMs, onRows, onInterrupt}: ScreenProps) {
	// Reading every key (raw mode, no echo) and dropping all but Ctrl-C; a stdin that is no terminal has no echo to stop.
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		if (input === 'c' && key.ctrl) {
			onInterrupt();
		}
	}, {isActive: isRawModeSupported});
	const frame = useFrame(model.live.length > 0, tickMs);
	const rows = liveRows(model, now(), frame);
	// An insertion effect runs before Ink's render of this commit (Ink renders from the reconciler's resetAfterCommit, which
	// comes before layout effects): an immediate render must take over these widths, not the previous commit's.
	useInsertionEffect(() => {
		onRows(rows.map(row => rowWidth(row)));
	});
	return (
		<>
			<Static items={[...model.finished]}>{item => <Box key={item.key} width={model.width}>{item.element}</Box>}</Static>
			<Rows rows={rows} />
		</>
	);
}

/** Calls `listener` at most once per `ms` while changes keep coming, and once after the last one. */
function throttle(listener: () => void, ms: number): () => void {
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

/**
The terminal UI. Ink is mounted once per phase, from the first thing drawn until `end()` (before a prompt, or at exit):
finished lines go to `<Static>`, and only what still runs is redrawn, every row fitted to the terminal's width. Several
live items (tasks, task lists, account blocks) can be on screen at once. cli.tsx imports this file lazily; it is the only
one that loads Ink.
*/
export function createInkUi({stdin, stdout, onInterrupt, clock = systemClock, tickMs = 80, throttleMs = 50}: InkUiOptions): Ui {
	const size = () => ({width: stdout.columns || 80, height: stdout.rows || 24});
	let model: Model = {finished: [], live: [], ...size()};
	let nextKey = 0;
	let app: Instance | undefined;
	// Every change redraws at once (a synchronous render): what a method drew is on screen when it returns.
	const changed = () => {
		app?.rerender(screen());
	};

	const update = (next: Partial<Model>) => {
		model = {...model, ...next};
		changed();
	};

	let exited: Promise<unknown> = Promise.resolve();
	// Widths of the live rows Ink drew last: those of the last React commit, taken over when Ink renders it (Ink throttles
	// its writes, so a commit is not on screen before Ink's own render of it).
	let committed: readonly number[] = [];
	let drawn: readonly number[] = [];
	let drawnWidth = size().width;

	/**
	A terminal that gets narrower re-wraps the rows already on screen, so a live area of N rows now takes more; Ink erases
	only N and the rest would stay as stale rows. Runs before Ink's own resize handler: erases every row the live area now
	takes, then moves the cursor back down N rows, where Ink's erase of N rows starts.
	*/
	const onResize = () => {
		const {width, height} = size();
		if (width < drawnWidth && drawn.length > 0) {
			const taken = drawn.reduce((total, cells) => total + Math.max(1, Math.ceil(cells / width)), 0);
			if (taken > drawn.length) {
				stdout.write(`${'\u001B[2K\u001B[1A'.repeat(taken)}\u001B[2K\u001B[${drawn.length}B\u001B[G`);
			}
		}

		drawnWidth = width;
		update({width, height});
	};

	const screen = () => (
		<Screen
			model={model}
			now={() => clock.now()}
			tickMs={tickMs}
			onInterrupt={onInterrupt}
			onRows={widths => {
				committed = widths;
			}}
		/>
	);

	const mount = () => {
		if (app) {
			return;
		}

		model = {finished: [], live: model.live, ...size()};
		drawnWidth = model.width;
		app = render(screen(), {
			stdin,
			stdout,
			stderr: stdout,
			exitOnCtrlC: false,
			patchConsole: false,
			onRender() {
				drawn = committed;
			},
		});
		exited = app.waitUntilExit();
		stdout.prependListener('resize', onResize);
	};

	const append = (element: ReactElement) => {
		mount();
		update({finished: [...model.finished, {key: nextKey++, element}]});
	};

	/** The open step section goes to `<Static>` as it is drawn: something other than its own progress came. */
	const flushSection = () => {
		const {section} = model;
		if (section) {
			model = {...model, section: undefined};
			append(<Rows rows={[...stepRows(section.step, model.width), ...section.done.map(({title, elapsed}) => spinnerRow({title, status: 'done', frame: 0, elapsed, width: model.width}))]} />);
		}
	};

	const finish = (element: ReactElement) => {
		flushSection();
		append(element);
	};

	const addLive = (item: Live, group?: LiveGroup) => {
		mount();
		if (group) {
			group.items.push(item as LiveTask | LiveTasks);
			changed();
		} else {
			update({live: [...model.live, item]});
		}
	};

	const removeLive = (item: Live, group?: LiveGroup) => {
		if (group) {
			group.items = group.items.filter(other => other !== item);
			changed();
		} else {
			update({live: model.live.filter(other => other !== item)});
		}
	};

	const task = async <T,>(title: string, run: () => Promise<T>, group?: LiveGroup): Promise<T> => {
		const item: LiveTask = {kind: 'task', key: nextKey++, title};
		const startedAt = clock.now();
		addLive(item, group);
		const settle = (status: 'done' | 'failed', error?: string) => {
			removeLive(item, group);
			if (group) {
				group.done++;
				return;
			}

			if (status === 'done' && model.section) {
				update({section: {...model.section, done: [...model.section.done, {title, elapsed: clock.now() - startedAt}]}});
				return;
			}

			const row = spinnerRow({title, status, frame: 0, elapsed: clock.now() - startedAt, width: model.width});
			finish(
				<Box flexDirection="column">
					<RowText row={row} />
					{error ? <Wrapped lines={[error]} width={model.width} indent={2} color="red" /> : undefined}
				</Box>,
			);
		};

		try {
			const result = await run();
			settle('done');
			return result;
		} catch (error) {
			settle('failed', error instanceof Error ? error.message : String(error));
			throw error;
		}
	};

	const runTasks = async (runner: TaskRunner, group?: LiveGroup): Promise<RunnerSnapshot> => {
		const item: LiveTasks = {kind: 'tasks', key: nextKey++, runner};
		addLive(item, group);
		const stop = runner.subscribe(throttle(changed, throttleMs));
		try {
			return await runner.run();
		} finally {
			stop();
			removeLive(item, group);
			if (!group) {
				const {tasks} = runner.getSnapshot();
				finish(<Rows rows={taskRows(tasks, {now: clock.now(), frame: 0, width: model.width})} />);
			}
		}
	};

	const table = (rows: ReadonlyArray<readonly [string, string]>, headers?: readonly [string, string], label = '') => {
		const keyWidth = Math.max(0, ...[...rows, ...(headers ? [headers] : [])].map(([key]) => key.length));
		const line = (key: string, value: string, bold: boolean) => (
			<Box>
				<Box width={label.length + keyWidth + 2} flexShrink={0}>
					<Text bold={bold} dimColor={!bold}>{label + clean(key)}</Text>
				</Box>
				<Text bold={bold} wrap="wrap">{clean(value)}</Text>
			</Box>
		);
		finish(
			<Box flexDirection="column">
				{headers ? line(headers[0], headers[1], true) : undefined}
				{rows.map(([key, value]) => line(key, value, false))}
			</Box>,
		);
	};

	const message = (text: string, tone: 'info' | 'warning', label = '') => {
		finish(
			tone === 'warning' ? (
				<Box>
					<Text color="yellow">{`${label}⚠ `}</Text>
					<Wrapped lines={text.split('\n')} width={model.width - columns(label) - 2} />
				</Box>
			) : (
				<Box>
					{label ? <Text dimColor>{label}</Text> : undefined}
					<Wrapped lines={text.split('\n')} width={model.width - columns(label)} />
				</Box>
			),
		);
	};

	const success = (title: string, lines: readonly string[] = []) => {
		finish(
			<Box flexDirection="column">
				<Text bold wrap="wrap">
					<Text color="green">{statusSymbols.done}</Text>
					{` ${clean(title)}`}
				</Text>
				{lines.map((line, index) => {
					const command = commandAndComment(clean(line));
					if (!command) {
						return <Wrapped key={index} lines={[line]} width={model.width} indent={2} />;
					}

					// A command to paste: its comment on a line of its own, the command broken only where it does not fit, between
					// shell words; a word longer than a line stays whole (the terminal soft-wraps it, and copying gives it back).
					const {lead, command: text, comment} = command;
					const lines = shellLines(text, model.width - 2 - lead.length);
					return (
						<Box key={index} flexDirection="column">
							<Wrapped lines={[`${lead}# ${comment}`]} width={model.width} indent={2} dim />
							{lines.map((part, at) => (
								<Box key={at} width={Math.max(model.width, 2 + lead.length + columns(part))} flexShrink={0}>
									<Text>{`  ${lead}${part}`}</Text>
								</Box>
							))}
						</Box>
					);
				})}
			</Box>,
		);
	};

	/** A step that turned out to be done already: header, checks and "Already done: …" make one line. */
	const collapse = (text: string) => {
		const {section} = model;
		if (!section) {
			return false;
		}

		model = {...model, section: undefined};
		append(
			<Box>
				<Box marginRight={1} flexShrink={0}>
					<Text color="green">{statusSymbols.done}</Text>
				</Box>
				<Text wrap="wrap">
					<Text bold color="cyan">{`Step ${section.step.index} of ${section.step.total}`}</Text>
					<Text bold>{` · ${clean(section.step.title)}`}</Text>
					<Text dimColor>{` · ${clean(text.replace(/^Already done: /, ''))}`}</Text>
				</Text>
			</Box>,
		);
		return true;
	};

	return {
		step(step: StepInfo) {
			flushSection();
			mount();
			update({section: {step, done: []}});
		},
		async task<T>(title: string, run: () => Promise<T>): Promise<T> {
			return task(title, run);
		},
		async runTasks(runner: TaskRunner): Promise<RunnerSnapshot> {
			return runTasks(runner);
		},
		table(rows, headers) {
			table(rows, headers);
		},
		info(text) {
			if (!(text.startsWith('Already done: ') && collapse(text))) {
				message(text, 'info');
			}
		},
		success(title, lines) {
			success(title, lines);
		},
		warn(text) {
			message(text, 'warning');
		},
		group(label: string): UiGroup {
			flushSection();
			const group: LiveGroup = {kind: 'group', key: nextKey++, label, items: [], done: 0};
			addLive(group);
			const prefix = `${label}  `;
			return {
				async task(title, run) {
					return task(title, run, group);
				},
				async runTasks(runner) {
					return runTasks(runner, group);
				},
				table(rows, headers) {
					table(rows, headers, prefix);
				},
				info(text) {
					message(text, 'info', prefix);
				},
				success(title, lines) {
					success(`${label} · ${title}`, lines);
				},
				warn(text) {
					message(text, 'warning', prefix);
				},
				close({ok, text}) {
					removeLive(group);
					finish(<RowText row={[{text: ok ? statusSymbols.done : statusSymbols.failed, color: ok ? 'green' : 'red'}, {text: ` ${fit(label, model.width - 2)}`, bold: true}, {text: fit(` · ${clean(text)}`, model.width - 2 - label.length)}]} />);
				},
			};
		},
		async end() {
			flushSection();
			if (!app) {
				return;
			}

			const current = app;
			app = undefined;
			stdout.off('resize', onResize);
			current.unmount();
			await exited;
			drawn = [];
			committed = [];
			model = {...model, finished: []};
			// Ink 6.8 unref()s stdin when raw mode ends; the next @inquirer prompt needs it, or the process quietly exits
			// (architecture §3.5). Paused first: a stdin still reading (Ink read it in raw mode) and ref()ed would keep the
			// process alive after its last prompt; the next prompt resumes it.
			stdin.pause?.();
			stdin.ref?.();
		},
	};
}
