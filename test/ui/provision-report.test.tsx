// Issue 16.3: the end of `provision` at 60–200 columns. The bars of V2's one wait, then the summary: every line fits, words are
// never broken, an error the four tasks share is said once, and the summary does not list the tasks the bars already showed.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {reportSummary} from '../../source/provisioning/report-text.js';
import type {ProvisionReport} from '../../source/provisioning/provision.js';
import {createTaskRunner} from '../../source/tasks/task-runner.js';
import {createInkUi} from '../../source/ui/ink-ui.js';
import {columns} from '../../source/ui/text.js';
import {createTestClock} from '../support/clock.js';
import {fakeTerminal} from '../support/fake-terminal.js';
import {finalScreen} from '../support/final-screen.js';

const wait = 'LivePerson provisions Functions V2 (up to 10 min)';
const titles = ['Activate the Functions feature', 'Provision and configure the infrastructure', 'Create the default secret (LIVEPERSON_DEFAULT_APP_KEY)', 'Store the default secret in the secret store'];
const message = 'Listing the functions of account 87654321 failed: LivePerson answered 503 (503) after 4 tries (GET va.faasui.sandbox.test:40655/api/account/87654321/functions).';
const hint = 'LivePerson is having trouble: retry later.';

const report: ProvisionReport = {
	accountId: '87654321',
	version: 2,
	dryRun: false,
	resumed: false,
	ok: false,
	tasks: titles.map((title, index) => ({id: `t${index}`, title, status: 'failed', attempts: 1, ms: 30_000, error: {message, hint}})),
};

for (const width of [60, 80, 120, 200] as const) {
	test(`at ${width} columns the V2 wait is one bar and the report fits, says the error once and lists no task again`, async () => {
		const terminal = fakeTerminal(width);
		const clock = createTestClock({start: 0});
		const ui = createInkUi({...terminal, clock, tickMs: 0, throttleMs: 0});
		const runner = createTaskRunner(titles.map((title, index) => ({
			id: `t${index}`, title, wait, async run() {
				throw Object.assign(new Error(message), {hint});
			},
		})), {clock});
		await ui.runTasks(runner);
		const summary = reportSummary(report);
		ui.warn([summary.title, ...summary.lines.map(line => `  ${line}`)].join('\n'));
		await ui.end();
		const screen = await finalScreen(terminal.raw.text, width);
		const lines = terminal.plain().split('\n');
		// Only a word longer than a line (the terminal soft-wraps it, a copy gives it back whole) may be wider.
		assert.deepEqual(lines.filter(line => columns(line) > width && /\S\s+\S/.test(line.trim())), [], terminal.plain());
		assert.equal(screen.split('\n').filter(line => /[█░]/.test(line)).length, 1, `one bar for the wait:\n${screen}`);
		const at = screen.indexOf('⚠ LivePerson Functions V2 on 87654321');
		assert.notEqual(at, -1, screen);
		const after = screen.slice(at);
		for (const title of titles) {
			assert.ok(!after.includes(title), `the report lists ${title} again:\n${after}`);
		}

		// Wrapped between words: every word of the message is whole on some line, and it is said once.
		const text = after.split('\n').map(line => line.trim()).join(' ');
		assert.equal(text.split('LivePerson answered 503').length - 1, 1, after);
		// (A word longer than a line, a URL at 60 columns, is the one the terminal must break.)
		for (const word of message.split(' ').filter(word => columns(word) <= width - 6)) {
			assert.ok(after.split(/\s+/).includes(word), `"${word}" was broken:\n${after}`);
		}
	});
}

test('a table whose value column would be under 20 cells puts each value under its key', async () => {
	const terminal = fakeTerminal(60);
	const ui = createInkUi({...terminal, tickMs: 0, throttleMs: 0});
	ui.table([['Create the default secret (LIVEPERSON_DEFAULT_APP_KEY) now', 'failed: LivePerson answered 503 after 4 tries']], ['Task', 'Result']);
	await ui.end();
	const lines = terminal.plain().split('\n').filter(line => line.trim() !== '');
	assert.ok(lines.includes('Create the default secret (LIVEPERSON_DEFAULT_APP_KEY) now'), terminal.plain());
	assert.ok(lines.includes('  failed: LivePerson answered 503 after 4 tries'), terminal.plain());
});

test('a live phase resumes stdin (an @inquirer prompt leaves it paused), so Ctrl-C is read again', async () => {
	const terminal = fakeTerminal(80);
	const ui = createInkUi({...terminal, tickMs: 0, throttleMs: 0});
	ui.info('first phase');
	await ui.end();
	const before = terminal.resumed();
	ui.info('after a prompt');
	assert.equal(terminal.resumed(), before + 1);
	await ui.end();
});
