import {test} from 'node:test';
import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {LpError} from '../../source/errors.js';
import {createTaskRunner} from '../../source/tasks/task-runner.js';
import {createPlainUi} from '../../source/ui/plain-ui.js';
import {createTestClock} from '../support/clock.js';

function collector() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	return {stream, lines: () => text.split('\n').slice(0, -1), text: () => text};
}

test('runTasks prints one line per status change, progress at 25 % steps, and totals', async () => {
	const out = collector();
	const clock = createTestClock({start: 0});
	const runner = createTaskRunner([
		{id: 'activate', title: 'Activate Functions', async run({report}) {
			for (let completed = 1; completed <= 10; completed++) {
				report({completed, total: 10, detail: completed === 3 ? 'waiting' : undefined});
			}

			await clock.advance(1200);
			return 'active';
		}},
		{id: 'key', title: 'Install lp-faas-default-app-key', needs: ['activate'], check: async () => 'already installed', run: async () => undefined},
		{id: 'flaky', title: 'Allow domain', needs: ['activate'], async run({retrying, report}) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			retrying({attempt: 1, maxAttempts: 3, delayMs: 500, reason: 'LivePerson answered 503'});
			await clock.advance(800);
			report({completed: 1, total: 1});
		}},
		{id: 'broken', title: 'Deploy', needs: ['key'], async run() {
			throw new LpError('HTTP 403', {hint: 'Ask an admin for the Functions permission.'});
		}},
		{id: 'after', title: 'Invoke', needs: ['broken'], run: async () => undefined},
	], {clock});
	const ui = createPlainUi(out.stream, {color: false, clock});
	// The printer reads the store the way the Ink view does, through snapshots; events are for checkpoints.
	const snapshot = await ui.runTasks({...runner, onEvent() {
		throw new Error('views read snapshots, not events');
	}});
	assert.equal(snapshot.tasks.length, 5);
	assert.deepEqual(out.lines(), [
		'[1/5] ▸ Activate Functions',
		'[1/5] ▸ Activate Functions 30% waiting',
		'[1/5] ▸ Activate Functions 50%',
		'[1/5] ▸ Activate Functions 80%',
		'[1/5] ✔ Activate Functions (1.2s) active',
		'[2/5] ▸ Install lp-faas-default-app-key',
		'[3/5] ▸ Allow domain',
		'[2/5] ↷ Install lp-faas-default-app-key (0.0s) already installed',
		'[4/5] ▸ Deploy',
		'[4/5] ✖ Deploy (0.0s) HTTP 403',
		'      → Ask an admin for the Functions permission.',
		'[5/5] ⊘ Invoke blocked: needs Deploy',
		'[3/5] ↻ Allow domain retrying in 0.5 s, 1 of 3: LivePerson answered 503',
		// The 0.5 s pause before the retry passes on the clock too.
		'[3/5] ✔ Allow domain (0.8s)',
		'2 done, 1 skipped, 1 failed, 1 blocked in 2.0s',
	]);
	assert.ok(!out.text().includes('\u001B'));
});

test('an aborted run prints the cancelled tasks', async () => {
	const out = collector();
	const runner = createTaskRunner([{id: 'a', title: 'A', run: async () => undefined}], {clock: createTestClock({start: 0}), signal: AbortSignal.abort()});
	await createPlainUi(out.stream, {clock: createTestClock({start: 0})}).runTasks(runner);
	assert.deepEqual(out.lines(), ['[1/1] ■ A cancelled', '1 cancelled in 0.0s']);
});

test('task prints a start line and a done line with the time, and passes the result through', async () => {
	const out = collector();
	const clock = createTestClock({start: 0});
	const ui = createPlainUi(out.stream, {clock});
	const result = await ui.task('Looking up domains', async () => {
		await clock.advance(400);
		return 42;
	});
	assert.equal(result, 42);
	assert.deepEqual(out.lines(), ['Looking up domains…', 'Looking up domains… done (0.4s)']);
});

test('task prints a failed line and rethrows the error', async () => {
	const out = collector();
	const ui = createPlainUi(out.stream, {clock: createTestClock({start: 0})});
	const error = new Error('HTTP 404');
	await assert.rejects(ui.task('Looking up domains', async () => {
		throw error;
	}), error);
	assert.deepEqual(out.lines(), ['Looking up domains…', 'Looking up domains… failed (0.0s): HTTP 404']);
});

test('steps, tables and messages are plain lines without escape codes', () => {
	const out = collector();
	const ui = createPlainUi(out.stream);
	ui.step({index: 2, total: 5, title: 'Service domains'});
	ui.step({index: 3, total: 5, title: 'API key', done: true});
	ui.table([['agentVep', 'va.example.net'], ['faasUI', 'fui.example.net']], ['Service', 'Host']);
	ui.info('Saved to the keychain.');
	ui.success('Ready', ['Account 123']);
	ui.warn('Proxy \u001B[31mignored\u001B[39m.');
	assert.deepEqual(out.lines(), [
		'Step 2 of 5 · Service domains',
		'Step 3 of 5 · API key (already done)',
		'Service   Host',
		'agentVep  va.example.net',
		'faasUI    fui.example.net',
		'Saved to the keychain.',
		'✔ Ready',
		'  Account 123',
		'⚠ Proxy ignored.',
	]);
	assert.ok(!out.text().includes('\u001B'));
});

test('a group prefixes every line with its label and closes with its outcome', async () => {
	let text = '';
	const ui = createPlainUi({write(chunk: string) {
		text += chunk;
	}});
	const group = ui.group('12345678');
	await group.task('Logging in', async () => undefined);
	group.warn('Checkpoint unreadable.');
	group.close({ok: false, text: 'V1 partial: 3 done'});
	const lines = text.trimEnd().split('\n');
	assert.ok(lines.every(line => line.startsWith('12345678 ')), text);
	assert.equal(lines.at(-1), '12345678 ✖ V1 partial: 3 done');
});
