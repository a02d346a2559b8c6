import test from 'node:test';
import assert from 'node:assert/strict';
import {createIo, type Streams} from '../../source/cli/io.js';
import {createCommandWorld} from '../support/factory.js';
import {createCapturedIo} from '../support/io.js';

type Fake = {isTTY?: boolean; columns?: number; written: string[]; write(text: string): boolean};

function fake(terminal: boolean, columns?: number): Fake {
	const written: string[] = [];
	return {
		...(terminal ? {isTTY: true} : {}),
		...(columns === undefined ? {} : {columns}),
		written,
		write(text) {
			written.push(text);
			return true;
		},
	};
}

function streams(stdin: boolean, stdout: Fake, stderr: Fake): Streams {
	return {stdin: (stdin ? {isTTY: true} : {}) as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream};
}

test('prompts need stdin and stderr at a terminal: a piped stdout still lets a person answer, a piped stderr does not', () => {
	const piped = createIo(streams(true, fake(false), fake(true, 100)), {TERM: 'xterm-256color'});
	assert.equal(piped.canPrompt, true);
	assert.equal(piped.stdoutIsTerminal, false);
	assert.equal(piped.columns, undefined);
	assert.equal(piped.errColumns, 100);
	const noUi = createIo(streams(true, fake(true, 100), fake(false)), {TERM: 'xterm-256color'});
	assert.equal(noUi.canPrompt, false);
	assert.equal(noUi.stdoutIsTerminal, true);
	assert.equal(createIo(streams(true, fake(true), fake(true)), {CI: 'true'}).canPrompt, false);
	assert.equal(createIo(streams(true, fake(true), fake(true)), {TERM: 'dumb'}).canPrompt, false);
	assert.equal(createIo(streams(false, fake(true), fake(true)), {}).canPrompt, false);
	assert.equal(createIo(streams(true, fake(true), fake(true)), {}).withoutPrompts().canPrompt, false);
});

test('colour is decided once per stream: FORCE_COLOR, then NO_COLOR, then a terminal that is not dumb', () => {
	const colour = (env: Record<string, string>, out: boolean, err: boolean) => {
		const io = createIo(streams(true, fake(out), fake(err)), env);
		return [io.colorEnabled, io.errColorEnabled];
	};

	assert.deepEqual(colour({}, true, false), [true, false]);
	assert.deepEqual(colour({}, false, true), [false, true]);
	assert.deepEqual(colour({NO_COLOR: '1'}, true, true), [false, false]);
	assert.deepEqual(colour({TERM: 'dumb'}, true, true), [false, false]);
	assert.deepEqual(colour({FORCE_COLOR: '1'}, false, false), [true, true]);
	assert.deepEqual(colour({FORCE_COLOR: '0'}, true, true), [false, false]);
	assert.deepEqual(colour({NO_COLOR: '1', FORCE_COLOR: '1'}, false, false), [true, true]);
});

test('widths are read when asked, so a resized terminal is seen; a terminal that reports none is 80 wide', () => {
	const stdout = fake(true, 120);
	const io = createIo(streams(false, stdout, fake(true, 0)), {});
	assert.equal(io.columns, 120);
	stdout.columns = 60;
	assert.equal(io.columns, 60);
	assert.equal(io.errColumns, 80);
});

test('print writes one result block on stdout ending in a newline; stderr gets nothing', () => {
	const stdout = fake(false);
	const stderr = fake(false);
	const io = createIo(streams(false, stdout, stderr), {});
	io.print('one');
	io.print('two\n');
	assert.deepEqual(stdout.written, ['one\n', 'two\n']);
	assert.deepEqual(stderr.written, []);
});

test('the test double collects stdout and stderr through the real rules', () => {
	const {io, out, err} = createCapturedIo({stdoutColumns: 90, env: {NO_COLOR: '1'}});
	io.print('result');
	io.err.write('progress\n');
	assert.deepEqual(out, ['result\n']);
	assert.deepEqual(err, ['progress\n']);
	assert.equal(io.columns, 90);
	assert.equal(io.colorEnabled, false);
	assert.equal(io.canPrompt, false);
});

test('the test factory is the real one: its prompts go off with --json, and --demo answers the sandbox questions', async t => {
	const w = await createCommandWorld();
	t.after(async () => w.close());
	assert.equal(w.factory(['status'], {script: {}}).f.io.canPrompt, true);
	assert.equal(w.factory(['status', '--json'], {script: {}}).f.io.canPrompt, false);
	const prompter = await w.factory(['--sandbox', '--demo']).f.prompter();
	assert.equal(prompter.preset?.('sandbox-demo'), 'yes');
	assert.equal(prompter.preset?.('sandbox-admin'), 'yes');
});
