import type {ReactElement} from 'react';
import {Box, Text, render, type Instance} from 'ink';
import {type Clock, systemClock} from '../clock.js';
import type {RunnerSnapshot, TaskRunner} from '../tasks/task-runner.js';
import {clean, statusSymbols} from './format.js';
import {spinnerRow, stepRows, taskRows} from './rows.js';
import {RowText, Rows, Wrapped} from './components/rows.js';
import {columns, commandAndComment, fit, shellLines} from './text.js';
import type {StepInfo, Ui, UiGroup} from './ui.js';
import {Screen, throttle, type Live, type LiveGroup, type LiveTask, type LiveTasks, type Model} from './ink-screen.js';

/** The narrowest a table's value column gets; below it, the table is drawn as one key a line with its value under it. */
const minColumn = 20;

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

/**
The terminal UI. Ink is mounted once per phase, from the first thing drawn until `end()` (before a prompt, or at exit):
finished lines go to `<Static>`, and only what still runs is redrawn, every row fitted to the terminal's width. Several
live items (tasks, task lists, account blocks) can be on screen at once. cli.tsx imports this file lazily; with ink-screen.tsx it is
all that loads Ink.

This file is longer than the house's ~300 lines on purpose: one closure owns the Ink instance's life (a mount per phase,
the resize erase, the turns on stdin, the model), and splitting it would pass that mutable state between modules. What
only draws is in ink-screen.tsx.
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
		// An @inquirer prompt's teardown (readline's close) leaves stdin paused; Ink's `readable` listener then never fires
		// and Ctrl-C, sent as a key in raw mode, would be read by nobody. Resumed here, Ink reads every key again.
		stdin.resume?.();
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
		if (model.width - label.length - keyWidth - 2 < minColumn) {
			// No column under 20 cells: each key on a line of its own, its value wrapped between words under it.
			finish(
				<Box flexDirection="column">
					{rows.map(([key, value], index) => (
						<Box key={index} flexDirection="column">
							<Text dimColor wrap="truncate-end">{label + clean(key)}</Text>
							<Wrapped lines={[clean(value)]} width={model.width} indent={label.length + 2} />
						</Box>
					))}
				</Box>,
			);
			return;
		}

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
