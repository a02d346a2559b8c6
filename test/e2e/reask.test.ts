// Issue 9's re-ask loop, in a real terminal with the real composition (cli.tsx → factory → prompter stack): a wrong but
// well-formed --account is looked up once, then the person is asked, with the reason.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {openTerminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');

test('a rejected --account at a terminal is looked up once, then asked; the typed one goes on', async t => {
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-reask-'));
	const env = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: directory, XDG_CONFIG_HOME: join(directory, 'config'), XDG_STATE_HOME: join(directory, 'state')};
	const terminal = await openTerminal(['node', join(root, 'dist/cli.js'), '--sandbox', '--account', '99999999', '--insecure-storage', '--skip-provisioning'], {env, cwd: root, width: 100, height: 40});
	t.after(async () => {
		await terminal.close();
		await rm(directory, {recursive: true, force: true});
	});
	await terminal.waitFor(/Account 99999999 was not found/, 30_000);
	await terminal.waitFor(/LivePerson account id/, 10_000);
	// A loop would print the warning again and again; wait and count.
	await delay(1500);
	const screen = await terminal.screen();
	assert.equal(screen.match(/Looking up account 99999999/g)?.length, 1, screen);
	// Said once (issue 16): as the look-up's failure, not again in a warning below it.
	assert.equal(screen.match(/99999999 was not found/g)?.length, 1, screen);
	assert.match(screen, /✖ Looking up account 99999999 \(CSDS\)[^\n]*\n\s+Account 99999999 was not found\. Check the id/);
	await terminal.type('12345678', 'Enter');
	await terminal.waitFor(/App key/, 30_000);
});

test('an error at a narrow terminal breaks between words, never inside one', async t => {
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-narrow-'));
	const env = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: directory, XDG_CONFIG_HOME: join(directory, 'config'), XDG_STATE_HOME: join(directory, 'state')};
	const terminal = await openTerminal(['node', join(root, 'dist/cli.js'), 'domains', '--account', 'not an account'], {env, cwd: root, width: 40, height: 20});
	t.after(async () => {
		await terminal.close();
		await rm(directory, {recursive: true, force: true});
	});
	assert.equal(await terminal.exited(20_000), 2);
	const lines = (await terminal.screen()).split('\n').filter(line => line.trim() !== '' && !line.startsWith('[exit'));
	assert.ok(lines.length > 2, lines.join('\n'));
	for (const line of lines) {
		assert.ok(line.length <= 40, line);
	}

	const words = 'An account id is 1 to 20 letters, digits or "_", e.g. 12345678 (the LivePerson console shows it at the top right).'.split(' ');
	const text = lines.join(' ').replaceAll(/\s+/g, ' ');
	for (const word of words) {
		assert.ok(text.includes(word), `"${word}" stays whole in:\n${lines.join('\n')}`);
	}
});
