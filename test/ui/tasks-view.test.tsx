import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {createTaskRunner} from '../../source/tasks/task-runner.js';
import {TasksView} from '../../source/ui/components/tasks-view.js';
import {deferred, fakeClock, waitFor} from './wait-for.js';

test('the tasks view follows the runner live, from pending to done', async () => {
	const clock = fakeClock();
	const gate = deferred();
	let report: ((progress: {completed: number; total: number; detail?: string}) => void) | undefined;
	const runner = createTaskRunner([
		{id: 'activate', title: 'Activate', async run(context) {
			report = context.report;
			await gate.promise;
			return 'active';
		}},
		{id: 'secret', title: 'Secret', needs: ['activate'], run: async () => undefined},
	], {clock});
	const app = render(<TasksView runner={runner} now={clock.now} tickMs={0} throttleMs={0} barWidth={4} />);
	try {
		assert.equal(app.lastFrame(), '○ Activate ░░░░   0%\n○ Secret   ░░░░   0%');
		const done = runner.run();
		await waitFor(app.lastFrame, frame => frame.includes('⠋ Activate'), 'the running row');
		clock.time = 1500;
		report?.({completed: 1, total: 2, detail: 'waiting for the platform'});
		const half = await waitFor(app.lastFrame, frame => frame.includes('50%'), 'progress');
		assert.equal(half, '⠋ Activate ██░░  50%   1.5s  waiting for the platform\n○ Secret   ░░░░   0%');
		gate.resolve();
		await done;
		const final = await waitFor(app.lastFrame, frame => frame.includes('✔ Secret'), 'the final frame');
		assert.equal(final, '✔ Activate ████ 100%   1.5s  active\n✔ Secret   ████ 100%   0.0s');
	} finally {
		app.unmount();
	}
});

test('with throttling on, the view still ends on the last state', async () => {
	const clock = fakeClock();
	const runner = createTaskRunner([{id: 'count', title: 'Count', async run({report}) {
		for (let completed = 1; completed <= 100; completed++) {
			report({completed, total: 100});
		}

		throw new Error('boom');
	}}], {clock});
	const app = render(<TasksView runner={runner} now={clock.now} tickMs={0} throttleMs={20} barWidth={4} />);
	try {
		await runner.run();
		const frame = await waitFor(app.lastFrame, value => value.includes('✖'), 'the failed row');
		assert.equal(frame, '✖ Count ████ 100%   0.0s  boom');
	} finally {
		app.unmount();
	}
});

test('the spinner moves while tasks run', async () => {
	const clock = fakeClock();
	const gate = deferred();
	const runner = createTaskRunner([{id: 'a', title: 'A', run: async () => gate.promise}], {clock});
	const app = render(<TasksView runner={runner} now={clock.now} tickMs={5} throttleMs={0} barWidth={2} />);
	try {
		const done = runner.run();
		await waitFor(app.lastFrame, frame => frame.startsWith('⠙ A'), 'the second spinner frame');
		gate.resolve();
		await done;
		await waitFor(app.lastFrame, frame => frame.startsWith('✔ A'), 'the done row');
	} finally {
		app.unmount();
	}
});
