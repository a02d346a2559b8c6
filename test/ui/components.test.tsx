import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import type {TaskState} from '../../source/tasks/task-runner.js';
import {Message} from '../../source/ui/components/message.js';
import {ProgressBar} from '../../source/ui/components/progress-bar.js';
import {StepHeader} from '../../source/ui/components/step-header.js';
import {Summary} from '../../source/ui/components/summary.js';
import {Table} from '../../source/ui/components/table.js';
import {TaskLine} from '../../source/ui/components/task-line.js';
import {TaskList} from '../../source/ui/components/task-list.js';

/** Renders, reads the frame, unmounts: the frame must be read before unmount (CI=true clears it, architecture §3.3). */
function frameOf(element: Parameters<typeof render>[0]): string {
	const app = render(element);
	const frame = app.lastFrame() ?? '';
	app.unmount();
	return frame;
}

test('the progress bar fills its fixed width in proportion and shows the percent', () => {
	assert.equal(frameOf(<ProgressBar value={0.5} width={10} />), '█████░░░░░  50%');
	assert.equal(frameOf(<ProgressBar value={0} width={4} />), '░░░░   0%');
	assert.equal(frameOf(<ProgressBar value={1} width={4} />), '████ 100%');
	assert.equal(frameOf(<ProgressBar value={0.999} width={4} />), '███░  99%');
});

test('the progress bar can hide the percent (values come clamped from the task store)', () => {
	assert.equal(frameOf(<ProgressBar value={1} width={4} showPercent={false} />), '████');
	assert.equal(frameOf(<ProgressBar value={0.25} width={4} showPercent={false} />), '█░░░');
});

const tasks: TaskState[] = [
	{id: 'activate', title: 'Activate Functions', status: 'done', progress: 1, attempts: 1, startedAt: 0, endedAt: 1200, detail: 'active'},
	{id: 'secret', title: 'Install secret', status: 'running', progress: 0.25, attempts: 2, startedAt: 500, detail: 'uploading'},
	{id: 'key', title: 'Install app key', status: 'skipped', progress: 1, attempts: 1, startedAt: 0, endedAt: 100, detail: 'already installed'},
	{id: 'domain', title: 'Allow domain', status: 'failed', progress: 0.5, attempts: 3, startedAt: 0, endedAt: 3000, error: {message: 'HTTP 403', hint: 'Ask an admin.'}},
	{id: 'deploy', title: 'Deploy', status: 'blocked', progress: 0, attempts: 0, detail: 'needs Allow domain'},
	{id: 'later', title: 'Later', status: 'pending', progress: 0, attempts: 0},
	{id: 'stop', title: 'Stop', status: 'cancelled', progress: 0, attempts: 0},
];

test('the task list shows a row per task with symbol, title, bar, percent, elapsed time and detail', () => {
	const lines = frameOf(<TaskList tasks={tasks} now={2500} barWidth={4} />).split('\n');
	assert.deepEqual(lines, [
		'✔ Activate Functions ████ 100%   1.2s  active',
		'⠋ Install secret     █░░░  25%   2.0s  uploading (attempt 2)',
		'↷ Install app key    ████ 100%   0.1s  already installed',
		'✖ Allow domain       ██░░  50%   3.0s  HTTP 403',
		'  → Ask an admin.',
		'⊘ Deploy             ░░░░   0%         needs Allow domain',
		'○ Later              ░░░░   0%',
		'■ Stop               ░░░░   0%',
	]);
});

test('the running symbol follows the spinner frame', () => {
	const running = tasks.filter(task => task.status === 'running');
	assert.match(frameOf(<TaskList tasks={running} now={500} frame={1} />), /^⠙ Install secret/);
	assert.match(frameOf(<TaskList tasks={running} now={500} frame={11} />), /^⠙ Install secret/);
});

test('escape codes in server text do not reach the frame', () => {
	const hostile: TaskState[] = [{id: 'x', title: 'X', status: 'failed', progress: 0, attempts: 1, error: {message: 'bad\u001B[2Jthing', hint: 'hint\u0007'}}];
	const frame = frameOf(<TaskList tasks={hostile} now={0} barWidth={2} />);
	assert.ok(frame.includes('badthing'));
	assert.ok(frame.includes('→ hint'));
	assert.ok(!frame.includes('\u001B'));
});

test('the step header reads "Step n of m · title" and marks steps already done', () => {
	assert.equal(frameOf(<StepHeader index={2} total={5} title="Service domains" />), 'Step 2 of 5 · Service domains');
	assert.equal(frameOf(<StepHeader done index={1} total={5} title="Account" />), 'Step 1 of 5 · Account (already done)');
});

test('the summary shows a title with its lines indented', () => {
	assert.equal(frameOf(<Summary title="Ready" lines={['Account 123', 'Functions active']} />), '✔ Ready\n  Account 123\n  Functions active');
	assert.equal(frameOf(<Summary title="Partly done" tone="warning" />), '⚠ Partly done');
});

test('the table pads the first column to its widest cell', () => {
	assert.equal(
		frameOf(<Table headers={['Service', 'Host']} rows={[['agentVep', 'va.example.net'], ['faasUI', 'fui.example.net']]} />),
		'Service   Host\nagentVep  va.example.net\nfaasUI    fui.example.net',
	);
	assert.equal(frameOf(<Table rows={[['a', '1']]} />), 'a  1');
});

test('info and warning messages', () => {
	assert.equal(frameOf(<Message message="Saved." />), 'Saved.');
	assert.equal(frameOf(<Message message="Careful." tone="warning" />), '⚠ Careful.');
});

test('the task line shows the spinner while running and the outcome with its time after', () => {
	assert.equal(frameOf(<TaskLine title="Looking up domains" status="running" frame={2} />), '⠹ Looking up domains…');
	assert.equal(frameOf(<TaskLine title="Looking up domains" status="done" elapsedMs={400} />), '✔ Looking up domains (0.4s)');
	assert.equal(frameOf(<TaskLine title="Looking up domains" status="failed" elapsedMs={1000} error="HTTP 404" />), '✖ Looking up domains (1.0s)  HTTP 404');
});
