import '../support/outside-ci.js';
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {setTimeout as delay} from 'node:timers/promises';
import {createTaskRunner} from '../../source/tasks/task-runner.js';
import type {RetryNotice} from '../../source/tasks/types.js';
import type {TaskNotes} from '../../source/ui/ui.js';
import {createInkUi} from '../../source/ui/ink-ui.js';
import {columns} from '../../source/ui/text.js';
import {nextSteps, usersApiPath} from '../../source/wizard/summary-step.js';
import {createTestClock} from '../support/clock.js';
import {fakeTerminal} from '../support/fake-terminal.js';
import {finalScreen} from '../support/final-screen.js';
import {deferred, waitFor} from '../support/wait.js';

/** A terminal's stdin: raw mode recorded, typed keys queued for Ink's `read()`. */
function fakeKeyboard() {
	const queue: string[] = [];
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		raw: [] as boolean[],
		refs: 0,
		ref() {
			stdin.refs++;
		},
		unref() {},
		setEncoding() {},
		setRawMode(on: boolean) {
			stdin.raw.push(on);
		},
		read: () => queue.shift() ?? null,
		type(keys: string) {
			queue.push(keys);
			stdin.emit('readable');
		},
	});
	return stdin;
}

const longText = 'LivePerson answered HTTP 503 Service Unavailable from the faasUI host while allowing the default domains; the run stops here and a later run resumes where it stopped';

for (const width of [60, 80, 120, 200] as const) {
	test(`at ${width} columns nothing the UI writes is wider than the terminal`, async () => {
		const terminal = fakeTerminal(width);
		const clock = createTestClock({start: 0});
		const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
		ui.step({index: 5, total: 6, title: 'LivePerson Functions', names: ['Account', 'Domains', 'API key', 'Bot user', 'Functions', 'Summary']});
		ui.table([['accountConfigReadOnly', 'va.accountconfigreadonly.sandbox.test:45907/with/a/long/path/that/goes/on/and/on/and/on']], ['Service', 'Host']);
		ui.info(`Create an API key:\n  1. ${longText}`);
		ui.warn(longText);
		const gate = deferred();
		const runner = createTaskRunner([
			{id: 'a', title: 'Allow the 15 default domains in the Functions allowlist now', async run(context) {
				context.report({completed: 7, total: 15, detail: '14 domains added, 0 already allowed'});
				await gate.promise;
			}},
			{id: 'b', title: 'Install lp-faas-orchestrator-app-key', async run() {
				throw new Error(longText);
			}},
		], {clock});
		const running = ui.runTasks(runner);
		// The runner's state, not the screen: with CI set, Ink writes live frames only at the end.
		await waitFor(() => runner.getSnapshot().tasks[0]!.detail, detail => detail.includes('14 domains'), 'the running bars');
		gate.resolve();
		await running;
		ui.success('You are set up.', ['  lp-onboard auth header GET "https://va.accountconfigreadonly.sandbox.test:45907/api/account/12345678/configuration/le-users/users?v=4.0"   # a signed header for curl']);
		await ui.end();
		const url = '"https://va.accountconfigreadonly.sandbox.test:45907/api/account/12345678/configuration/le-users/users?v=4.0"';
		const lines = terminal.plain().split('\n');
		// The command is broken between its words only, with " \\" continuations; the URL, longer than any of these lines, is
		// the one line allowed to be wider (the terminal soft-wraps it, and a copy gives it back whole).
		const at = lines.indexOf('    # a signed header for curl');
		assert.notEqual(at, -1, terminal.plain());
		const whole = `    lp-onboard auth header GET ${url}`;
		const expected = columns(whole) <= width ? [whole] : ['    lp-onboard auth header GET \\', `      ${url}`];
		assert.deepEqual(lines.slice(at + 1, at + 1 + expected.length), expected, terminal.plain());
		const wide = lines.filter(line => columns(line) > width && line !== `      ${url}`);
		assert.deepEqual(wide, [], terminal.plain());
		assert.ok(terminal.plain().includes('Step 5 of 6 · LivePerson Functions'));
		assert.ok(terminal.plain().includes('✔ You are set up.'));
	});
}

for (const width of [40, 80, 140, 200] as const) {
	test(`at ${width} columns the summary's next steps are broken only where they do not fit, between shell words`, async () => {
		const terminal = fakeTerminal(width);
		const ui = createInkUi({...terminal, tickMs: 0, throttleMs: 0});
		const botUser = {loginName: 'lp-onboard-bot', loginMethod: 'api-key', isAdmin: false, created: true, alreadyDone: false} as const;
		const steps = nextSteps({invocation: 'lp-onboard', profile: 'default'}, {sandbox: true}, {accountId: '12345678', botUser, provisioning: {status: 'done', report: {} as never, loginName: 'x'}});
		ui.success('You are set up.', steps);
		await ui.end();
		const written = terminal.plain();
		// A command's lines: its first, and every one after a " \\" (a comment may wrap onto lines of its own).
		const commands = written.split('\n').filter((line, index, all) => line.startsWith('    lp-onboard ') || all[index - 1]?.endsWith(' \\'));
		const pasted = commands.join('\n').replaceAll(/ \\\n\s*/g, ' ').split('\n').map(line => line.trim());
		// No credentials given: the summary assumes the default, an OAuth 2.0 client (Users API v=6.0).
		const path = `'${usersApiPath('oauth2')}'`;
		assert.ok(path.endsWith('?v=6.0\''), path);
		assert.deepEqual(pasted, [`lp-onboard api GET ${path} --sandbox`, 'lp-onboard status --sandbox'], written);
		// A command that fits is one line; one that does not is broken between words (the quoted path stays whole, even where
		// it is wider than the terminal), and every line but one such word fits.
		assert.equal(commands.length > 2, width < 100, written);
		assert.ok(commands.some(line => line.includes(path)), written);
		assert.deepEqual(commands.filter(line => columns(line) > width && line.trim() !== `${path} \\`), [], written);
	});
}

test('while a phase is live, stdin is read in raw mode: typed keys draw nothing and Ctrl-C interrupts; end() gives stdin back', async () => {
	const terminal = fakeTerminal();
	const keyboard = fakeKeyboard();
	const ui = createInkUi({...terminal, stdin: keyboard as unknown as NodeJS.ReadStream, tickMs: 0, throttleMs: 0});
	const gate = deferred();
	const running = ui.task('Activate the Functions feature', async () => gate.promise);
	await waitFor(() => keyboard.raw.join(), raw => raw !== '', 'raw mode');
	assert.deepEqual(keyboard.raw, [true]);
	const before = terminal.plain();
	keyboard.type('x');
	keyboard.type('\r');
	await delay(20);
	assert.equal(terminal.plain(), before, 'a typed key changed the screen');
	assert.equal(terminal.interrupts(), 0);
	keyboard.type('\u0003');
	await waitFor(() => String(terminal.interrupts()), count => count === '1', 'the interrupt');
	gate.resolve();
	await running;
	const refs = keyboard.refs;
	await ui.end();
	assert.deepEqual(keyboard.raw, [true, false]);
	// Ink unref()s stdin as raw mode ends; the next prompt needs it ref()ed.
	assert.ok(keyboard.refs > refs);
});

test('messages come out in order, and the phase stays mounted until end(), which gives stdin back', async () => {
	const terminal = fakeTerminal();
	const ui = createInkUi({...terminal, tickMs: 0, throttleMs: 0});
	ui.step({index: 2, total: 5, title: 'Service domains'});
	const mounted = terminal.raw.listenerCount('resize');
	assert.ok(mounted >= 1);
	ui.table([['agentVep', 'va.example.net']], ['Service', 'Host']);
	ui.info('Saved.');
	ui.success('Ready', ['Account 123']);
	ui.warn('Careful.');
	assert.equal(terminal.raw.listenerCount('resize'), mounted, 'one Ink instance for the whole phase, not one per message');
	await ui.end();
	assert.equal(terminal.raw.listenerCount('resize'), 0);
	assert.ok(terminal.refs() >= 1);
	const text = terminal.plain();
	const order = ['Step 2 of 5 · Service domains', 'Service   Host', 'agentVep  va.example.net', 'Saved.', '✔ Ready', '  Account 123', '⚠ Careful.'];
	const positions = order.map(line => text.indexOf(line));
	assert.ok(positions.every(position => position !== -1), text);
	assert.deepEqual(positions, positions.toSorted((a, b) => a - b));
	// The next call mounts a new phase.
	ui.info('Next phase.');
	assert.equal(terminal.raw.listenerCount('resize'), mounted);
	await ui.end();
	assert.ok(terminal.plain().includes('Next phase.'));
});

test('a step found done, with its checks and its "Already done" message, folds into one line; other steps stay whole', async () => {
	const terminal = fakeTerminal();
	const clock = createTestClock({start: 0});
	const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
	const names = ['Account', 'Domains', 'API key', 'Bot user', 'Functions', 'Summary'];
	ui.step({index: 1, total: 6, title: 'LivePerson account', names});
	await ui.task('Checking that account 12345678 still resolves', async () => {
		await clock.advance(200);
	});
	ui.alreadyDone('account 12345678.');
	ui.step({index: 2, total: 6, title: 'Service domains', names});
	await ui.task('Looking up the service domains', async () => undefined);
	ui.table([['agentVep', 'va.example.net']]);
	await ui.end();
	const text = await finalScreen(terminal.raw.text, 100);
	assert.ok(text.includes('✔ Step 1 of 6 · LivePerson account · account 12345678.'), text);
	assert.ok(!text.includes('Already done'), text);
	assert.ok(!text.split('\n').includes('Step 1 of 6 · LivePerson account'), `step 1 is one line:\n${text}`);
	const second = ['Step 2 of 6 · Service domains', '✔ Account ─ ● Domains ─ ○ API key', '✔ Looking up the service domains (0.0s)', 'agentVep  va.example.net'].map(line => text.lastIndexOf(line));
	assert.ok(second.every(position => position !== -1), text);
	assert.deepEqual(second, second.toSorted((a, b) => a - b), text);
});

test('task shows the outcome and returns the result; a failure shows its message and rethrows', async () => {
	const terminal = fakeTerminal();
	const clock = createTestClock({start: 0});
	const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
	const result = await ui.task('Looking up domains', async () => {
		await clock.advance(400);
		return 'va.example.net';
	});
	assert.equal(result, 'va.example.net');
	await assert.rejects(ui.task('Signing in', async () => {
		throw new Error('HTTP 401');
	}), /HTTP 401/);
	await ui.end();
	assert.ok(terminal.plain().includes('✔ Looking up domains (0.4s)'), terminal.plain());
	assert.ok(terminal.plain().includes('✖ Signing in (0.0s)'), terminal.plain());
	assert.ok(terminal.plain().includes('  HTTP 401'), terminal.plain());
});

test('live work runs side by side: two account blocks at once, each titled with its account, closed with its outcome', async () => {
	const terminal = fakeTerminal(120);
	const clock = createTestClock({start: 0});
	const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
	const gates = [deferred(), deferred()];
	const started: string[] = [];
	const block = async (label: string, gate: ReturnType<typeof deferred>) => {
		const group = ui.group(label);
		const runner = createTaskRunner([{id: 'a', title: `Activate ${label}`, async run() {
			started.push(label);
			await gate.promise;
		}}], {clock});
		await group.runTasks(runner);
		group.close({ok: true, text: 'V1 ok: 1 done'});
	};

	const both = Promise.all([block('12345678', gates[0]!), block('87654321', gates[1]!)]);
	await waitFor(() => started.join(','), text => text.split(',').length === 2, 'both accounts running at once');
	gates[1]!.resolve();
	gates[0]!.resolve();
	await both;
	await ui.end();
	const text = terminal.plain();
	assert.ok(text.includes('✔ 87654321 · V1 ok: 1 done'), text);
	assert.ok(text.includes('✔ 12345678 · V1 ok: 1 done'), text);
	assert.ok(text.indexOf('✔ 87654321') < text.lastIndexOf('✔ 12345678'), 'finished blocks are written as they finish');
});

test('a narrower terminal: the live rows the terminal re-wrapped are all erased before Ink redraws', async () => {
	const terminal = fakeTerminal(120);
	const clock = createTestClock({start: 0});
	const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
	const gate = deferred();
	const runner = createTaskRunner(['One', 'Two', 'Three'].map(title => ({id: title, title: `${title} ${'long title '.repeat(6)}`, async run() {
		await gate.promise;
	}})), {clock});
	const running = ui.runTasks(runner);
	await waitFor(() => runner.getSnapshot().tasks.map(task => task.status).join(), text => text === 'running,running,running', 'the bars');
	const before = terminal.raw.text.length;
	terminal.raw.columns = 40;
	terminal.raw.emit('resize');
	const written = terminal.raw.text.slice(before);
	// Three rows of up to 120 columns take up to 3 rows each at 40 columns: erase all of them (and the cursor's row), then
	// go back down 3 rows, where Ink's own erase of its 3 rows (and the cursor's row) starts.
	const ours = written.slice(0, written.indexOf('\u001B[3B'));
	assert.ok(ours.length > 0, JSON.stringify(written.slice(0, 200)));
	assert.equal(ours.split('\u001B[1A').length - 1, 9, JSON.stringify(ours));
	gate.resolve();
	await running;
	await ui.end();
	const last = terminal.plain().split('\n').filter(line => line.includes('One'));
	assert.ok(columns(last.at(-1)!) <= 40, last.at(-1));
});

test('a narrower terminal right after Ink drew new live rows at once: those rows are erased too', async () => {
	const terminal = fakeTerminal(120);
	const ui = createInkUi({...terminal, clock: createTestClock({start: 0}), tickMs: 0, throttleMs: 0});
	ui.info('Mounted.');
	// Past Ink's render throttle (33 ms at its 30 fps): the next change is drawn at once, as the first bar frame was in tmux.
	await delay(100);
	const gate = deferred();
	const running = ui.task(`Activate ${'long title '.repeat(9)}`, async () => gate.promise);
	const before = terminal.raw.text.length;
	terminal.raw.columns = 40;
	terminal.raw.emit('resize');
	const written = terminal.raw.text.slice(before);
	// One row of about 100 columns takes 3 rows at 40: erase them (and the cursor's row), then go back down 1 row.
	const back = written.indexOf('\u001B[1B');
	assert.ok(back > 0, JSON.stringify(written.slice(0, 200)));
	const ours = written.slice(0, back);
	assert.equal(ours.split('\u001B[1A').length - 1, 3, JSON.stringify(written.slice(0, 200)));
	gate.resolve();
	await running;
	await ui.end();
});

/** A terminal (isTTY) whose size is asked through its handle, as Node's SIGWINCH handler asks it; `columns` is Node's copy. */
function askedTerminal(width: number) {
	const terminal = fakeTerminal(width);
	const handle = {
		asks: 0,
		// The width the terminal has after `asks` reaches `after`.
		narrow: {after: Number.POSITIVE_INFINITY, width},
		getWindowSize(size: number[]) {
			handle.asks++;
			size[0] = handle.asks > handle.narrow.after ? handle.narrow.width : width;
			size[1] = 40;
			return 0;
		},
	};
	Object.assign(terminal.raw, {isTTY: true, _handle: handle});
	return {terminal, handle};
}

/** The Ink UI on `asked` with one long live row; `retry` redraws it with a retry note, `finish` ends the task and the UI. */
async function liveRowOn(asked: ReturnType<typeof askedTerminal>) {
	const ui = createInkUi({...asked.terminal, clock: createTestClock({start: 0}), tickMs: 0, throttleMs: 0});
	const gate = deferred();
	let notes: TaskNotes | undefined;
	const running = ui.task(`Activate ${'long title '.repeat(9)}`, async given => {
		notes = given;
		return gate.promise;
	});
	await waitFor(() => (notes ? 'ready' : undefined), Boolean, 'the live row');
	return {
		...asked,
		ui,
		retry: (event: RetryNotice) => notes!.retrying(event),
		async finish() {
			gate.resolve();
			await running;
			await ui.end();
		},
	};
}

test('a redraw asks the terminal its size first: a change Node has not seen yet is handled as a resize', async () => {
	const {terminal, handle, retry, finish} = await liveRowOn(askedTerminal(120));
	handle.narrow = {after: handle.asks, width: 40};
	retry({attempt: 1, maxAttempts: 3, delayMs: 1000, reason: 'HTTP 503'});
	assert.equal(terminal.raw.columns, 40);
	await finish();
	const last = terminal.plain().split('\n').filter(line => line.includes('HTTP 503'));
	assert.ok(last.length > 0 && last.every(line => columns(line) <= 40), last.join('\n'));
});

test('a frame laid out just before the terminal got narrower: the rows the terminal re-wrapped are erased before it is written', async () => {
	const {terminal, handle, retry, finish} = await liveRowOn(askedTerminal(120));
	const before = terminal.raw.text.length;
	// The redraw asks once before it lays out (still 120), the write asks again (40 now).
	handle.narrow = {after: handle.asks + 1, width: 40};
	retry({attempt: 1, maxAttempts: 3, delayMs: 1000, reason: 'HTTP 503'});
	const written = terminal.raw.text.slice(before);
	// One row of about 100 columns takes 3 rows at 40: erased (and the cursor's row) before the frame, back down 1 row.
	const back = written.indexOf('\u001B[1B');
	assert.ok(back >= 0, JSON.stringify(written.slice(0, 300)));
	assert.equal(written.slice(0, back).split('\u001B[1A').length - 1, 3, JSON.stringify(written.slice(0, 300)));
	assert.ok(written.indexOf('Activate') > back, 'the erase comes before the frame');
	assert.equal(terminal.raw.columns, 120, 'the resize is handled once the write is done');
	await delay(0);
	assert.equal(terminal.raw.columns, 40);
	await finish();
	const last = terminal.plain().split('\n').filter(line => line.includes('HTTP 503'));
	assert.ok(columns(last.at(-1)!) <= 40, last.at(-1));
});
