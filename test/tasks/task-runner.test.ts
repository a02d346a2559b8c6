import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LpError} from '../../source/errors.js';
import {createTaskRunner, type RunnerEvent, type Task, type TaskStatus} from '../../source/tasks/task-runner.js';
import {createTestClock} from '../support/clock.js';
import {deferred} from '../support/wait.js';

/** Time moves only by what the runner sleeps. */
const fakeClock = () => createTestClock({start: 1000});

/** Lets pending promise callbacks run. */
async function flush() {
	for (let index = 0; index < 10; index++) {
		await Promise.resolve();
	}
}

function record(runner: ReturnType<typeof createTaskRunner>) {
	const events: RunnerEvent[] = [];
	runner.onEvent(event => events.push(event));
	return events;
}

function statuses(runner: ReturnType<typeof createTaskRunner>): Record<string, TaskStatus> {
	return Object.fromEntries(runner.getSnapshot().tasks.map(task => [task.id, task.status]));
}

test('two independent tasks are running at the same time', async () => {
	const a = deferred();
	const b = deferred();
	const runner = createTaskRunner([
		{id: 'a', title: 'A', run: async () => a.promise},
		{id: 'b', title: 'B', run: async () => b.promise},
	], {clock: fakeClock()});
	const done = runner.run();
	await flush();
	assert.deepEqual(statuses(runner), {a: 'running', b: 'running'});
	b.resolve();
	await flush();
	assert.deepEqual(statuses(runner), {a: 'running', b: 'done'});
	a.resolve();
	const snapshot = await done;
	assert.deepEqual(snapshot.tasks.map(task => task.status), ['done', 'done']);
});

test('a task waits until everything it needs is done', async () => {
	const a = deferred();
	const order: string[] = [];
	const runner = createTaskRunner([
		{id: 'b', title: 'B', needs: ['a', 'c'], async run() {
			order.push('b');
		}},
		{id: 'a', title: 'A', async run() {
			await a.promise;
			order.push('a');
		}},
		{id: 'c', title: 'C', async run() {
			order.push('c');
		}},
	], {clock: fakeClock()});
	const done = runner.run();
	await flush();
	assert.deepEqual(statuses(runner), {b: 'pending', a: 'running', c: 'done'});
	a.resolve();
	await done;
	assert.deepEqual(order, ['c', 'a', 'b']);
	assert.deepEqual(statuses(runner), {b: 'done', a: 'done', c: 'done'});
});

test('a task whose check gives a reason is skipped without running, and its dependents still run', async () => {
	let ran = false;
	const runner = createTaskRunner([
		{id: 'install', title: 'Install', check: async () => 'already installed', async run() {
			ran = true;
		}},
		{id: 'use', title: 'Use', needs: ['install'], run: async () => 'used'},
	], {clock: fakeClock()});
	const snapshot = await runner.run();
	assert.equal(ran, false);
	assert.deepEqual(snapshot.tasks.map(({status, detail, progress}) => ({status, detail, progress})), [
		{status: 'skipped', detail: 'already installed', progress: 1},
		{status: 'done', detail: 'used', progress: 1},
	]);
});

test('a check that finds nothing done lets the task run', async () => {
	const runner = createTaskRunner([{id: 'a', title: 'A', check: async () => undefined, run: async () => 'created'}], {clock: fakeClock()});
	const snapshot = await runner.run();
	assert.equal(snapshot.tasks[0]?.status, 'done');
	assert.equal(snapshot.tasks[0]?.detail, 'created');
});

test('a call\'s retry shows on the running task until its next report, then goes', async () => {
	const runner = createTaskRunner([{
		id: 'watch',
		title: 'Watch',
		async run({report, retrying}) {
			report({completed: 1, total: 4});
			retrying({attempt: 1, maxAttempts: 3, delayMs: 5000, reason: 'LivePerson answered 503'});
			assert.deepEqual(runner.getSnapshot().tasks[0]?.retry, {attempt: 1, maxAttempts: 3, delayMs: 5000, reason: 'LivePerson answered 503'});
			assert.equal(runner.getSnapshot().tasks[0]?.progress, 0.25);
			report({completed: 1, total: 4});
			assert.equal(runner.getSnapshot().tasks[0]?.retry, undefined);
			retrying({attempt: 2, maxAttempts: 3, delayMs: 10_000, reason: 'LivePerson answered 503'});
			return 'ok';
		},
	}], {clock: fakeClock()});
	const snapshot = await runner.run();
	assert.equal(snapshot.tasks[0]?.status, 'done');
	assert.equal(snapshot.tasks[0]?.retry, undefined, 'settling drops the notice');
	assert.equal(snapshot.tasks[0]?.attempts, 1);
});

test('a failed task keeps its hint, dependents are blocked and other tasks finish', async () => {
	const clock = fakeClock();
	let runs = 0;
	const runner = createTaskRunner([
		{id: 'broken', title: 'Broken', async run() {
			runs++;
			throw new LpError('Server said no.', {hint: 'Try again later.'});
		}},
		{id: 'other', title: 'Other', run: async () => 'fine'},
		{id: 'child', title: 'Child', needs: ['broken'], async run() {
			throw new Error('must not run');
		}},
		{id: 'grandchild', title: 'Grandchild', needs: ['child'], async run() {
			throw new Error('must not run');
		}},
	], {clock});
	const snapshot = await runner.run();
	assert.equal(runs, 1, 'a task runs once: only the HTTP client retries');
	assert.deepEqual(clock.sleeps, []);
	assert.deepEqual(statuses(runner), {broken: 'failed', other: 'done', child: 'blocked', grandchild: 'blocked'});
	assert.deepEqual(snapshot.tasks[0]?.error, {message: 'Server said no.', hint: 'Try again later.'});
	assert.equal(snapshot.tasks[0]?.attempts, 1);
	assert.equal(snapshot.tasks[2]?.detail, 'needs Broken');
	assert.equal(snapshot.tasks[3]?.detail, 'needs Child');
	assert.equal(snapshot.tasks[2]?.attempts, 0);
});

test('errors thrown by a check, synchronously, or as non-errors become task errors', async () => {
	const runner = createTaskRunner([
		{id: 'check', title: 'Check', check: async () => {
			throw new Error('cannot look');
		}, run: async () => undefined},
		{id: 'sync', title: 'Sync', run() {
			throw new Error('thrown before any await');
		}},
		{id: 'string', title: 'String', async run() {
			// eslint-disable-next-line @typescript-eslint/only-throw-error -- the runner must cope with a task that throws a non-Error
			throw 'plain string';
		}},
		{id: 'after', title: 'After', needs: ['sync'], run: async () => undefined},
	], {clock: fakeClock()});
	const snapshot = await runner.run();
	assert.deepEqual(snapshot.tasks.map(({status, error}) => ({status, error})), [
		{status: 'failed', error: {message: 'cannot look'}},
		{status: 'failed', error: {message: 'thrown before any await'}},
		{status: 'failed', error: {message: 'plain string'}},
		{status: 'blocked', error: undefined},
	]);
});

test('aborting hands the signal to running tasks, cancels pending ones and resolves the run', async () => {
	const controller = new AbortController();
	let seen: AbortSignal | undefined;
	const runner = createTaskRunner([
		{id: 'slow', title: 'Slow', async run({signal}) {
			seen = signal;
			await new Promise((_resolve, reject) => {
				signal.addEventListener('abort', () => {
					reject(signal.reason as Error);
				});
			});
		}},
		{id: 'next', title: 'Next', needs: ['slow'], run: async () => undefined},
		{id: 'queued', title: 'Queued', run: async () => undefined},
	], {clock: fakeClock(), signal: controller.signal, concurrency: 1});
	const done = runner.run();
	await flush();
	assert.deepEqual(statuses(runner), {slow: 'running', next: 'pending', queued: 'pending'});
	controller.abort();
	assert.deepEqual(statuses(runner), {slow: 'running', next: 'cancelled', queued: 'cancelled'});
	const snapshot = await done;
	assert.equal(seen?.aborted, true);
	assert.deepEqual(snapshot.tasks.map(task => task.status), ['cancelled', 'cancelled', 'cancelled']);
	assert.equal(snapshot.tasks[0]?.error, undefined);
});

test('a task that finishes despite the abort counts as done', async () => {
	const controller = new AbortController();
	const gate = deferred();
	const runner = createTaskRunner([{id: 'a', title: 'A', run: async () => gate.promise}], {clock: fakeClock(), signal: controller.signal});
	const done = runner.run();
	controller.abort();
	gate.resolve();
	assert.equal((await done).tasks[0]?.status, 'done');
});

test('a run started after the abort cancels everything without running anything', async () => {
	let ran = false;
	const runner = createTaskRunner([{id: 'a', title: 'A', async run() {
		ran = true;
	}}], {clock: fakeClock(), signal: AbortSignal.abort()});
	const snapshot = await runner.run();
	assert.equal(ran, false);
	assert.equal(snapshot.tasks[0]?.status, 'cancelled');
});

test('a graph with a cycle, an unknown id or a repeated id is rejected up front', () => {
	const run = async () => undefined;
	assert.throws(() => createTaskRunner([
		{id: 'a', title: 'A', needs: ['c'], run},
		{id: 'b', title: 'B', needs: ['a'], run},
		{id: 'c', title: 'C', needs: ['b'], run},
	]), {message: 'Tasks depend on each other in a cycle: a → c → b → a.'});
	assert.throws(() => createTaskRunner([{id: 'a', title: 'A', needs: ['a'], run}]), /cycle: a → a/);
	assert.throws(() => createTaskRunner([{id: 'a', title: 'A', needs: ['missing'], run}]), {message: 'Task "a" needs "missing", which is not a task.'});
	assert.throws(() => createTaskRunner([{id: 'a', title: 'A', run}, {id: 'a', title: 'A again', run}]), /used twice/);
	assert.throws(() => createTaskRunner([], {concurrency: 0}), /at least 1/);
});

test('a small graph emits exactly the expected events in order', async () => {
	const gate = deferred();
	const tasks: Task[] = [
		{id: 'activate', title: 'Activate', async run({report}) {
			report({completed: 1, total: 2, detail: 'waiting'});
			report({completed: 1, total: 2, detail: 'waiting'}); // Unchanged: no event.
			await gate.promise;
			report({completed: 2, total: 2});
			return 'active';
		}},
		{id: 'secret', title: 'Secret', check: async () => 'already installed', run: async () => undefined},
		{id: 'deploy', title: 'Deploy', needs: ['activate', 'secret'], run: async () => undefined},
	];
	const runner = createTaskRunner(tasks, {clock: fakeClock()});
	const events = record(runner);
	const done = runner.run();
	await flush();
	gate.resolve();
	await done;
	assert.deepEqual(events, [
		{type: 'status', id: 'activate', status: 'running', attempt: 1},
		{type: 'progress', id: 'activate', progress: 0.5, detail: 'waiting'},
		{type: 'status', id: 'secret', status: 'running', attempt: 1},
		{type: 'status', id: 'secret', status: 'skipped', attempt: 1, detail: 'already installed'},
		{type: 'progress', id: 'activate', progress: 1},
		{type: 'status', id: 'activate', status: 'done', attempt: 1, detail: 'active'},
		{type: 'status', id: 'deploy', status: 'running', attempt: 1},
		{type: 'status', id: 'deploy', status: 'done', attempt: 1},
	]);
});

test('the snapshot stays the same object until something changes', async () => {
	const gate = deferred();
	let notified = 0;
	const runner = createTaskRunner([{id: 'a', title: 'A', async run({report}) {
		report({completed: 5, total: 10});
		await gate.promise;
	}}], {clock: fakeClock()});
	runner.subscribe(() => notified++);
	const before = runner.getSnapshot();
	assert.equal(runner.getSnapshot(), before);
	const done = runner.run();
	const during = runner.getSnapshot();
	assert.notEqual(during, before);
	assert.equal(runner.getSnapshot(), during);
	assert.equal(during.tasks[0]?.progress, 0.5);
	assert.equal(during.startedAt, 1000);
	const notifiedDuring = notified;
	gate.resolve();
	const after = await done;
	assert.equal(runner.getSnapshot(), after);
	assert.ok(notified > notifiedDuring);
	assert.equal(after.endedAt, 1000);
	assert.equal(before.tasks[0]?.status, 'pending');
});

test('progress is clamped to 0..1 and ignored once the attempt is over', async () => {
	let late: ((progress: {completed: number; total: number}) => void) | undefined;
	const seen: number[] = [];
	const runner = createTaskRunner([{id: 'a', title: 'A', async run({report}) {
		report({completed: 20, total: 10});
		report({completed: -1, total: 10});
		report({completed: 3, total: 0});
		report({completed: Number.NaN, total: 10});
		report({completed: 5, total: Number.POSITIVE_INFINITY});
		late = report;
	}}], {clock: fakeClock()});
	runner.onEvent(event => {
		if (event.type === 'progress') {
			seen.push(event.progress);
		}
	});
	await runner.run();
	late?.({completed: 1, total: 10});
	assert.deepEqual(seen, [1, 0]);
	assert.equal(runner.getSnapshot().tasks[0]?.progress, 1);
});

test('concurrency limits how many tasks run at once', async () => {
	let active = 0;
	let most = 0;
	const task = (id: string): Task => ({id, title: id, async run() {
		active++;
		most = Math.max(most, active);
		await flush();
		active--;
	}});
	const runner = createTaskRunner(['a', 'b', 'c', 'd', 'e'].map(id => task(id)), {concurrency: 2, clock: fakeClock()});
	const snapshot = await runner.run();
	assert.equal(most, 2);
	assert.ok(snapshot.tasks.every(state => state.status === 'done'));
});

test('run returns the same promise when called again, and an empty list settles at once', async () => {
	const runner = createTaskRunner([{id: 'a', title: 'A', run: async () => undefined}], {clock: fakeClock()});
	assert.equal(runner.run(), runner.run());
	assert.deepEqual((await createTaskRunner([], {clock: fakeClock()}).run()).tasks, []);
});

test('an unsubscribed listener hears nothing more', async () => {
	const events: RunnerEvent[] = [];
	let calls = 0;
	const runner = createTaskRunner([{id: 'a', title: 'A', run: async () => undefined}], {clock: fakeClock()});
	runner.onEvent(event => events.push(event))();
	runner.subscribe(() => calls++)();
	await runner.run();
	assert.deepEqual(events, []);
	assert.equal(calls, 0);
});
