// Keys typed while the provisioning bars run (a newcomer pressing Enter "to get on"): in a real terminal (tmux) they neither
// echo, nor leave a duplicate bar row, nor reach the shell after lp-onboard exits; Ctrl-C still cancels. Build first.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {spinnerFrames} from '../../source/ui/format.js';
import {join} from 'node:path';
import {cliPath} from '../support/cli.js';
import {createTerminalWorld} from '../support/terminal-world.js';
import {openTerminal} from '../support/tmux.js';

const root = join(import.meta.dirname, '../..');

/** A live bar row: a spinner, then a percentage. */
const liveBar = new RegExp(`^[${spinnerFrames.join('')}] .*\\d+%`, 'm');
const wizard = ['--sandbox', '--demo', '--yes', '--username', 'admin', '--login-method', 'api-key', '--bot-name', 'lp-onboard-bot', '--insecure-storage'];

test('keys typed while the bars run do not echo, leave a stale row, or reach the shell afterwards', {timeout: 90_000}, async t => {
	const world = await createTerminalWorld(t, {bus: '', env: {LP_PASSWORD: 'sandbox-admin-pass'}});
	// After lp-onboard, the shell reads a line, as an interactive shell would: keys the terminal still held show up there.
	const script = 'node "$0" "$@"; code=$?; read -t 2 left; echo "[left:$left]"; exit $code';
	const terminal = await openTerminal(['sh', '-c', script, cliPath, ...wizard, '--profile', world.profile], {env: world.env, cwd: root, width: 120, height: 50});
	t.after(async () => terminal.close());
	await terminal.waitFor(liveBar, 60_000);
	await terminal.type('qzq', 'Enter');
	await terminal.type('zqz', 'Enter');
	assert.equal(await terminal.exited(60_000), 0, await terminal.history());
	const history = await terminal.history();
	assert.match(history, /You are set up/);
	assert.match(history, /\[left:]/, 'typed keys reached the shell');
	assert.doesNotMatch(history, /qzq|zqz/, 'typed keys were echoed');
	const lines = history.split('\n');
	// A stale live row still has its spinner (an echoed Enter moved the cursor, and Ink erased the wrong rows).
	assert.deepEqual(lines.filter(line => spinnerFrames.some(frame => line.startsWith(frame))), [], history);
	const bars = lines.filter(line => /^[✔↷✖] .*[░█]/.test(line));
	assert.ok(bars.length >= 2, history);
	assert.equal(new Set(bars).size, bars.length, `a bar row is there twice:\n${history}`);
});

test('Ctrl-C while the bars run cancels: exit 130 and one "Cancelled" line', {timeout: 90_000}, async t => {
	const world = await createTerminalWorld(t, {bus: '', env: {LP_PASSWORD: 'sandbox-admin-pass'}});
	const terminal = await world.terminal(wizard, {width: 120, height: 50});
	await terminal.waitFor(liveBar, 60_000);
	await terminal.press('C-c');
	assert.equal(await terminal.exited(30_000), 130, await terminal.history());
	const history = await terminal.history();
	assert.equal(history.split('\n').filter(line => line.includes('Cancelled')).length, 1, history);
	assert.doesNotMatch(history, /\bat .*\.js:\d+/, 'a stack trace');
});
