import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import type {TaskState} from '../../source/tasks/task-runner.js';
import {Rows, Wrapped} from '../../source/ui/components/rows.js';
import {rowWidth, spinnerRow, stepRows, taskRows, type Row} from '../../source/ui/rows.js';
import {columns, fit} from '../../source/ui/text.js';

const widths = [60, 80, 120, 200] as const;
const names = ['Account', 'Domains', 'API key', 'Bot user', 'Functions', 'Summary'];

/** The rows of issue 9's screenshots: a 55-column title, long state text, a failure with a hint, wide characters. */
const tasks: TaskState[] = [
	{id: 'a', title: 'Allow the 15 default domains in the Functions allowlist now', status: 'running', progress: 0.5, attempts: 2, startedAt: 0, detail: '14 domains added, 0 already allowed'},
	{id: 'b', title: 'Install lp-faas-orchestrator-app-key', status: 'done', progress: 1, attempts: 1, startedAt: 0, endedAt: 1200, detail: 'installed'},
	{id: 'c', title: 'Activate', status: 'failed', progress: 0.2, attempts: 3, startedAt: 0, endedAt: 900, error: {message: 'HTTP 503 Service Unavailable from faasUI after three attempts', hint: 'LivePerson may be busy; run `lp-onboard provision --yes` again to resume where it stopped.'}},
	{id: 'd', title: '配置 Functions 的默认应用密钥 (宽字符)', status: 'pending', progress: 0, attempts: 0},
];

const text = (row: Row) => row.map(segment => segment.text).join('');

for (const width of widths) {
	test(`at ${width} columns no row is wider than the terminal`, () => {
		const rows = [
			...taskRows(tasks, {now: 2000, frame: 3, width}),
			...taskRows(tasks, {now: 2000, frame: 3, width, indent: 2}),
			spinnerRow({title: 'Looking up the service domains of 12345678 through CSDS, the LivePerson domain service', status: 'running', frame: 1, width}),
			spinnerRow({title: 'Signing in', status: 'failed', frame: 0, elapsed: 100, error: 'HTTP 401 Unauthorized: the consumer key was not recognised by LivePerson', width}),
			...stepRows({index: 3, total: 6, title: 'API key', names}, width),
			...stepRows({index: 5, total: 6, title: 'LivePerson Functions provisioning for a long account name', names, done: true}, width),
		];
		for (const row of rows) {
			assert.ok(rowWidth(row) <= width, `${rowWidth(row)} > ${width}: ${text(row)}`);
			assert.equal(rowWidth(row), columns(text(row)));
		}
	});
}

test('bars shrink with the width, titles and details are cut with …, nothing is cut when there is room', () => {
	const bar = (row: Row) => [...text(row)].filter(character => character === '█' || character === '░').length;
	const at = (width: number) => taskRows(tasks, {now: 2000, frame: 0, width});
	assert.equal(bar(at(200)[0]!), 20);
	assert.ok(bar(at(80)[0]!) < 20 && bar(at(80)[0]!) >= 6, text(at(80)[0]!));
	assert.ok(text(at(200)[0]!).includes('Allow the 15 default domains in the Functions allowlist now'));
	assert.ok(text(at(200)[0]!).includes('14 domains added, 0 already allowed'));
	assert.ok(text(at(60)[0]!).includes('…'), text(at(60)[0]!));
	// The failure's message and hint get rows of their own.
	assert.ok(at(200).some(row => text(row).includes('HTTP 503 Service Unavailable')));
	assert.ok(at(200).some(row => text(row).includes('→ LivePerson may be busy')));
});

/** V2's four tasks, which LivePerson finishes together: one wait against the 10-minute budget. */
const v2Wait = 'LivePerson provisions Functions V2 (up to 10 min)';
const v2 = ['Activate the Functions feature', 'Provision and configure the infrastructure', 'Create the default secret (LIVEPERSON_DEFAULT_APP_KEY)', 'Store the default secret in the secret store']
	.map((title, index): TaskState => ({
		id: `t${index}`, title, wait: v2Wait, status: 'running', progress: 0.1, attempts: 1, startedAt: 0, detail: 'waiting for the Functions UI step · 1 of 10 min',
	}));

for (const width of widths) {
	test(`at ${width} columns a shared wait is one bar, its tasks listed under it, and the reason for the wait is shown whole`, () => {
		const rows = taskRows(v2, {now: 60_000, frame: 0, width}).map(text);
		assert.equal(rows.filter(row => /[█░]/.test(row)).length, 1, rows.join('\n'));
		assert.match(rows[0]!, /^⠋ LivePerson provisions/);
		assert.ok(rows.some(row => row.includes('waiting for the Functions UI step · 1 of 10 min')), rows.join('\n'));
		for (const title of v2.map(task => task.title)) {
			assert.ok(rows.some(row => row.includes(title.slice(0, width - 8))), `${title} is not listed:\n${rows.join('\n')}`);
		}

		assert.ok(rows.every(row => columns(row) <= width));
	});
}

test('a retry shows as it happens, in place of the detail, on a row of its own when narrow', () => {
	const retrying: TaskState = {...v2[0]!, wait: undefined, retry: {attempt: 1, maxAttempts: 3, delayMs: 5000, reason: 'LivePerson answered 503'}};
	for (const width of [60, 200]) {
		const rows = taskRows([retrying], {now: 1000, frame: 0, width}).map(text);
		assert.ok(rows.some(row => row.includes('retrying in 5 s, 1 of 3: LivePerson answered 503')), rows.join('\n'));
		assert.ok(!rows.some(row => row.includes('waiting for the Functions UI step')));
	}
});

test('fit counts wide characters and never splits one', () => {
	assert.equal(fit('abcdef', 6), 'abcdef');
	assert.equal(fit('abcdef', 4), 'abc…');
	assert.equal(fit('配置配置', 5), '配置…');
	assert.equal(columns(fit('配置配置', 4)), 3);
	assert.equal(fit('anything', 0), '');
});

test('the stepper shows every step and where you are, compact when narrow', () => {
	const wide = stepRows({index: 3, total: 6, title: 'API key', names}, 120).map(text);
	assert.deepEqual(wide, ['Step 3 of 6 · API key', '✔ Account ─ ✔ Domains ─ ● API key ─ ○ Bot user ─ ○ Functions ─ ○ Summary']);
	assert.deepEqual(stepRows({index: 3, total: 6, title: 'API key', names}, 60).map(text)[1], '✔ ✔ ● API key ○ ○ ○');
	assert.deepEqual(stepRows({index: 2, total: 6, title: 'Service domains', done: true}, 80).map(text), ['Step 2 of 6 · Service domains (already done)']);
});

// ink-testing-library's terminal is 100 columns wide, so it checks the Ink rendering of rows at the two widths below that.
for (const width of [60, 80] as const) {
	test(`Ink draws the rows as laid out at ${width} columns, one terminal line each`, () => {
		const rows = taskRows(tasks, {now: 2000, frame: 0, width});
		const app = render(<Rows rows={rows} />);
		const lines = app.lastFrame()!.split('\n');
		assert.equal(lines.length, rows.length);
		assert.deepEqual(lines.map(line => line.trimEnd()), rows.map(row => text(row).trimEnd()));
		assert.ok(lines.every(line => columns(line) <= width), lines.join('\n'));
		app.unmount();
	});
}

test('wrapped text goes on under its own indent and list marker, and carries no escape codes', () => {
	const app = render(<Wrapped width={60} lines={['  4. Category Agent Interactions → User Login (lets the bot user log in with the key and then some more words to wrap).', '\u001B[31mred\u001B[0m']} />);
	const lines = app.lastFrame()!.split('\n');
	assert.ok(lines.every(line => columns(line) <= 60), app.lastFrame());
	assert.ok(lines.length >= 3, app.lastFrame());
	assert.ok(lines[0]!.startsWith('  4. Category'), app.lastFrame());
	assert.ok(lines[1]!.startsWith('     ') && !lines[1]!.startsWith('      '), JSON.stringify(lines[1]));
	assert.equal(lines.at(-1), 'red');
	app.unmount();
});

test('an aligned "Label:   value" line wraps under its value', () => {
	const app = render(<Wrapped width={50} lines={['API key:       working, kept in the 0600 credentials file (--insecure-storage) (earlier run)']} />);
	const lines = app.lastFrame()!.split('\n');
	assert.ok(lines.length >= 2, app.lastFrame());
	assert.ok(lines.slice(1).every(line => /^ {15}\S/.test(line)), app.lastFrame());
	app.unmount();
});
