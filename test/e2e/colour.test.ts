import test from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {openTerminal} from '../support/tmux.js';

const cli = join(resolve(import.meta.dirname, '../..'), 'dist/cli.js');

async function firstScreen(t: {after(fn: () => Promise<void>): void}, extra: Record<string, string>): Promise<string> {
	const home = await mkdtemp(join(tmpdir(), 'lp-onboard-colour-'));
	t.after(async () => rm(home, {recursive: true, force: true}));
	const env = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), TERM: 'xterm-256color', ...extra};
	// --insecure-storage: no keychain question in the way; the first prompt is the account id.
	const terminal = await openTerminal(['node', cli, '--insecure-storage'], {env});
	t.after(async () => terminal.close());
	await terminal.waitFor('LivePerson account id');
	return terminal.screen({escapes: true});
}

// SGR colour codes: 30–37, 90–97 (foreground) and 38;… (256/true colour).
const colour = /\u001B\[(?:3[0-7]|9[0-7]|38;)[\d;]*m/;

test('the wizard draws in colour in a terminal', async t => {
	const screen = await firstScreen(t, {});
	assert.match(screen, /Step 1 of 6/);
	assert.match(screen, colour);
});

test('NO_COLOR turns every colour off, Ink screens and prompts alike', async t => {
	const screen = await firstScreen(t, {NO_COLOR: '1'});
	assert.match(screen, /Step 1 of 6/);
	assert.doesNotMatch(screen, colour);
});
