// `doctor` in a real 80-column terminal (tmux): its hints break between words, never inside one (issue 16).
// Build first (`npm run build`).
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {openTerminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');

test('doctor at 80 columns: every line fits and every word of a hint is whole on one line', async t => {
	const directory = await mkdtemp(join(tmpdir(), 'lp-doctor-'));
	// No D-Bus: the keychain check fails with its long fix. A closed port: the CSDS check fails at once.
	const env = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: directory, XDG_CONFIG_HOME: join(directory, 'config'), XDG_STATE_HOME: join(directory, 'state')};
	const terminal = await openTerminal(['node', join(root, 'dist/cli.js'), 'doctor', '--csds-url', 'http://127.0.0.1:9', '--timeout', '2'], {env, cwd: root, width: 80, height: 40});
	t.after(async () => {
		await terminal.close();
		await rm(directory, {recursive: true, force: true});
	});
	assert.equal(await terminal.exited(30_000), 11);
	const lines = (await terminal.screen()).split('\n').filter(line => line.trim() !== '' && !line.startsWith('[exit'));
	const hint = lines.findIndex(line => line.startsWith('  → On Linux'));
	assert.ok(hint !== -1, lines.join('\n'));
	const block = lines.slice(hint, lines.findIndex((line, index) => index > hint && !line.startsWith('    ')));
	assert.ok(block.length > 1, `the hint fits one line? ${block.join('\n')}`);
	for (const line of lines) {
		assert.ok(line.length <= 80, line);
	}

	// Each word of the hint as the program wrote it is on one line: no word was cut by the terminal's edge.
	for (const word of ['gnome-keyring`', '`dbus-run-session`).', '--insecure-storage', 'LP_CLIENT_SECRET', 'LP_ACCESS_TOKEN_SECRET),']) {
		assert.ok(block.some(line => line.split(' ').includes(word)), `${word} is split:\n${block.join('\n')}`);
	}
});
