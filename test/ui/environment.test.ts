import {test} from 'node:test';
import assert from 'node:assert/strict';
import {isInteractive, colorWanted} from '../../source/environment.js';

test('a terminal on both ends without CI is interactive', () => {
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {TERM: 'xterm-256color'}}), true);
});

test('CI, a dumb terminal or a piped stream make it non-interactive', () => {
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {CI: 'true'}}), false);
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {CI: '1'}}), false);
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {CI: ''}}), false);
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {TERM: 'dumb'}}), false);
	assert.equal(isInteractive({stdinIsTTY: false, stderrIsTTY: true, env: {}}), false);
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: undefined, env: {}}), false);
});

test('CI set to false or 0 does not count as CI', () => {
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {CI: 'false'}}), true);
	assert.equal(isInteractive({stdinIsTTY: true, stderrIsTTY: true, env: {CI: '0'}}), true);
});

test('colour follows the terminal unless NO_COLOR or FORCE_COLOR say otherwise', () => {
	assert.equal(colorWanted({}, true), true);
	assert.equal(colorWanted({}, false), false);
	assert.equal(colorWanted({TERM: 'dumb'}, true), false);
	assert.equal(colorWanted({NO_COLOR: '1'}, true), false);
	assert.equal(colorWanted({NO_COLOR: ''}, true), true);
	assert.equal(colorWanted({FORCE_COLOR: '1'}, false), true);
	assert.equal(colorWanted({FORCE_COLOR: ''}, false), true);
	assert.equal(colorWanted({FORCE_COLOR: '0'}, true), false);
	assert.equal(colorWanted({FORCE_COLOR: 'false'}, true), false);
	assert.equal(colorWanted({FORCE_COLOR: '1', NO_COLOR: '1'}, false), true);
});
