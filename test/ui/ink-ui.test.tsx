import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {createTaskRunner} from '../../source/tasks/task-runner.js';
import {createInkUi} from '../../source/ui/ink-ui.js';
import {deferred, fakeClock} from './wait-for.js';

/** Just enough of a terminal for Ink: stdout collects what is written, stdin counts ref() calls. */
function fakeTerminal() {
	const stdout = Object.assign(new EventEmitter(), {
		columns: 100,
		rows: 40,
		isTTY: false,
		text: '',
		write(chunk: string) {
			stdout.text += chunk;
			return true;
		},
	});
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: false,
		refs: 0,
		ref() {
			stdin.refs++;
		},
		unref() {},
		setEncoding() {},
		setRawMode() {},
		read: () => null,
	});
	// Without ANSI erase codes (CI=true Ink only writes the last frame), every frame ends up in `text`; strip codes to compare.
	// eslint-disable-next-line no-control-regex
	const plain = () => stdout.text.replaceAll(/\u001B\[[0-?]*[ -/]*[@-~]/g, '');
	return {stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, plain, refs: () => stdin.refs};
}

test('static messages are on screen as soon as the method returns', () => {
	const terminal = fakeTerminal();
	const ui = createInkUi({...terminal, tickMs: 0, throttleMs: 0});
	ui.step({index: 2, total: 5, title: 'Service domains'});
	ui.table([['agentVep', 'va.example.net']], ['Service', 'Host']);
	ui.info('Saved.');
	ui.success('Ready', ['Account 123']);
	ui.warn('Careful.');
	const text = terminal.plain();
	const order = ['Step 2 of 5 · Service domains', 'Service   Host', 'agentVep  va.example.net', 'Saved.', '✔ Ready', '  Account 123', '⚠ Careful.'];
	const positions = order.map(line => text.indexOf(line));
	assert.ok(positions.every(position => position !== -1), text);
	assert.deepEqual(positions, positions.toSorted((a, b) => a - b));
});

test('task shows the outcome, returns the result and gives stdin back afterwards', async () => {
	const terminal = fakeTerminal();
	const clock = fakeClock();
	const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
	const result = await ui.task('Looking up domains', async () => {
		clock.time += 400;
		return 'va.example.net';
	});
	assert.equal(result, 'va.example.net');
	assert.ok(terminal.plain().includes('✔ Looking up domains (0.4s)'), terminal.plain());
	assert.ok(terminal.refs() >= 1);
});

test('task shows the failure and rethrows', async () => {
	const terminal = fakeTerminal();
	const ui = createInkUi({...terminal, clock: fakeClock(), tickMs: 0, throttleMs: 0});
	await assert.rejects(ui.task('Signing in', async () => {
		throw new Error('HTTP 401');
	}), /HTTP 401/);
	assert.ok(terminal.plain().includes('✖ Signing in (0.0s)  HTTP 401'), terminal.plain());
});

test('runTasks ends on the final state of every task, and a message sent meanwhile comes after it', async () => {
	const terminal = fakeTerminal();
	const clock = fakeClock();
	const gate = deferred();
	const runner = createTaskRunner([
		{id: 'a', title: 'Activate', async run() {
			await gate.promise;
			clock.time += 1000;
		}},
		{id: 'b', title: 'Install', needs: ['a'], check: async () => 'already installed', run: async () => undefined},
	], {clock});
	const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 50});
	const running = ui.runTasks(runner);
	ui.info('After the tasks.');
	assert.ok(!terminal.plain().includes('After the tasks.'));
	gate.resolve();
	const snapshot = await running;
	assert.deepEqual(snapshot.tasks.map(task => task.status), ['done', 'skipped']);
	ui.warn('Sent after the run.');
	await ui.task('Nothing', async () => undefined); // Waits for the queued messages.
	const text = terminal.plain();
	const final = text.lastIndexOf('✔ Activate ████████████████████ 100%   1.0s');
	assert.notEqual(final, -1, text);
	assert.ok(text.includes('↷ Install  ████████████████████ 100%   0.0s  already installed'), text);
	assert.ok(text.indexOf('After the tasks.') > final, text);
	assert.ok(text.indexOf('⚠ Sent after the run.') > text.indexOf('After the tasks.'), text);
});
