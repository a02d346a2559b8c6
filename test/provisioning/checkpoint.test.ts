import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {checkpointFile, loadCheckpoint, recordCheckpoint, type Checkpoint} from '../../source/provisioning/checkpoint.js';
import {createTaskRunner, type Task} from '../../source/tasks/task-runner.js';
import {createTestClock} from '../support/clock.js';

async function temporaryDirectory(t: {after(fn: () => Promise<void>): void}): Promise<string> {
	const directory = await mkdtemp(join(tmpdir(), 'lp-checkpoint-'));
	t.after(async () => rm(directory, {recursive: true, force: true}));
	return directory;
}

function succeeding(id: string): Task {
	return {id, title: id, run: async () => 'ok'};
}

async function runRecorded(stateDir: string, tasks: Task[], previous?: Checkpoint, signal?: AbortSignal) {
	const clock = createTestClock({start: Date.UTC(2025, 0, 1), tickMs: 1});
	const runner = createTaskRunner(tasks, {clock, ...(signal ? {signal} : {})});
	const warnings: string[] = [];
	const recorder = recordCheckpoint({
		runner,
		stateDir,
		accountId: '12345678',
		functionsVersion: 1,
		clock,
		warn(message) {
			warnings.push(message);
		},
		...(previous ? {previous} : {}),
	});
	const snapshot = await runner.run();
	recorder.stop();
	await recorder.flush();
	return {snapshot, warnings, recorder};
}

test('the checkpoint records every task\'s status, attempts and time, and reads back', async t => {
	const stateDir = await temporaryDirectory(t);
	const {warnings} = await runRecorded(stateDir, [
		succeeding('a'),
		succeeding('b'),
		{id: 'c', title: 'c', check: async () => 'already there', run: async () => 'never'},
		{id: 'd', title: 'd', run: async () => {
			throw new Error('broken');
		}},
	]);
	assert.deepEqual(warnings, []);
	const file = checkpointFile(stateDir, '12345678');
	assert.equal(file, join(stateDir, 'provision-12345678.json'));
	const written = JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
	assert.equal(written.accountId, '12345678');
	assert.equal(written.functionsVersion, 1);
	assert.deepEqual(
		Object.fromEntries(Object.entries(written.tasks).map(([id, entry]) => [id, [entry.status, entry.attempts]])),
		{a: ['done', 1], b: ['done', 1], c: ['skipped', 1], d: ['failed', 1]},
	);
	for (const entry of Object.values(written.tasks)) {
		assert.equal(typeof entry.ms, 'number');
		assert.ok(entry.ms! > 0);
		assert.ok(!Number.isNaN(Date.parse(entry.updatedAt)));
	}

	const loaded = await loadCheckpoint(stateDir, '12345678', message => {
		assert.fail(message);
	});
	assert.deepEqual(loaded, written);
});

test('a re-run adds attempts to unfinished tasks and keeps finished ones done', async t => {
	const stateDir = await temporaryDirectory(t);
	const previous: Checkpoint = {
		accountId: '12345678',
		functionsVersion: 1,
		tasks: {
			a: {status: 'done', attempts: 2, ms: 5, updatedAt: '2025-01-01T00:00:00.000Z'},
			b: {status: 'cancelled', attempts: 2, ms: 5, updatedAt: '2025-01-01T00:00:00.000Z'},
		},
	};
	const {recorder} = await runRecorded(stateDir, [
		{id: 'a', title: 'a', check: async () => 'already done', run: async () => undefined},
		succeeding('b'),
		succeeding('c'),
	], previous);
	const entries = recorder.entries();
	assert.deepEqual([entries['a']?.status, entries['a']?.attempts], ['done', 2]);
	assert.deepEqual([entries['b']?.status, entries['b']?.attempts], ['done', 3]);
	assert.deepEqual([entries['c']?.status, entries['c']?.attempts], ['done', 1]);
});

test('an aborted run leaves a checkpoint that says what finished', async t => {
	const stateDir = await temporaryDirectory(t);
	const controller = new AbortController();
	await runRecorded(stateDir, [
		{id: 'first', title: 'first', async run() {
			controller.abort();
		}},
		{id: 'second', title: 'second', needs: ['first'], run: async () => undefined},
	], undefined, controller.signal);
	const loaded = await loadCheckpoint(stateDir, '12345678', assert.fail);
	assert.equal(loaded?.tasks['first']?.status, 'done');
	assert.equal(loaded?.tasks['second']?.status, 'cancelled');
});

const corrupt: Array<[string, string]> = [
	['not JSON', '{"accountId": "12345678", "tasks": {'],
	['an empty file', ''],
	['JSON null', 'null'],
	['another account', JSON.stringify({accountId: '87654321', tasks: {}})],
	['tasks as an array', JSON.stringify({accountId: '12345678', tasks: []})],
	['an unknown status', JSON.stringify({accountId: '12345678', tasks: {a: {status: 'great', attempts: 1, updatedAt: 'x'}}})],
	['negative attempts', JSON.stringify({accountId: '12345678', tasks: {a: {status: 'done', attempts: -1, updatedAt: 'x'}}})],
];

for (const [name, text] of corrupt) {
	test(`a checkpoint with ${name} is ignored with a warning`, async t => {
		const stateDir = await temporaryDirectory(t);
		await writeFile(checkpointFile(stateDir, '12345678'), text);
		const warnings: string[] = [];
		const loaded = await loadCheckpoint(stateDir, '12345678', message => warnings.push(message));
		assert.equal(loaded, undefined);
		assert.equal(warnings.length, 1);
		assert.match(warnings[0]!, /Ignoring the provisioning checkpoint .*provision-12345678\.json/);
	});
}

test('a missing checkpoint is a first run, without a warning', async t => {
	const stateDir = await temporaryDirectory(t);
	assert.equal(await loadCheckpoint(join(stateDir, 'nowhere'), '12345678', assert.fail), undefined);
});

test('a checkpoint that cannot be written warns once and the run goes on', async t => {
	const directory = await temporaryDirectory(t);
	const stateDir = join(directory, 'a-file');
	await writeFile(stateDir, 'not a directory');
	const {snapshot, warnings} = await runRecorded(stateDir, [succeeding('a'), succeeding('b')]);
	assert.deepEqual(snapshot.tasks.map(task => task.status), ['done', 'done']);
	assert.equal(warnings.length, 1);
	assert.match(warnings[0]!, /Could not save the provisioning checkpoint/);
});

test('a checkpoint that cannot be saved is warned about once, in a sentence that ends in one period', async t => {
	const root = await temporaryDirectory(t);
	// A file where the state directory should be: every write fails with an EnvironmentError, whose message has its period.
	const stateDir = join(root, 'not-a-directory');
	await writeFile(stateDir, '');
	const {warnings} = await runRecorded(stateDir, [succeeding('a'), succeeding('b')]);
	assert.equal(warnings.length, 1);
	assert.match(warnings[0]!, /^Could not save the provisioning checkpoint .*not-a-directory\/provision-12345678\.json: /);
	assert.doesNotMatch(warnings[0]!, /\.\.$/);
	assert.match(warnings[0]!, /[^.]\.$/);
});
