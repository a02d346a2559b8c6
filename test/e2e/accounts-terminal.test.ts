// Issue 9.6: `provision --accounts` runs the accounts side by side in a terminal too, each in a block titled with its
// account id and state, ending with a summary table; without a terminal every line names its account. `--accounts` never
// waits on the Functions UI (issue 8), so an admin has done each account's UI step first, on the sandbox's stand-in page.
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {spinnerFrames} from '../../source/ui/format.js';
import {createCliEnv, runCli} from '../support/cli.js';
import {acceptFunctionsUiPages} from '../support/sandbox-state.js';
import {openTerminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');
const accounts = ['12345678', '87654321', '11223344'];

test('in a terminal, the accounts run at once, each block titled with its id, then a summary table', {timeout: 90_000}, async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, `${accounts.join('\n')}\n`);
	await acceptFunctionsUiPages(dirs.stateDir, accounts.filter(id => id !== '11223344'));
	const env: Record<string, string> = {...dirs.env, PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', LP_PASSWORD: 'sandbox-admin-pass'};
	delete env['CI'];
	const terminal = await openTerminal(['node', join(root, 'dist/cli.js'), 'provision', '--sandbox', '--yes', '--username', 'admin', '--accounts', file], {env, cwd: root, width: 100, height: 40});
	t.after(async () => terminal.close());
	// Two account blocks live on screen at the same time: the accounts run side by side.
	const block = `^[${spinnerFrames.join('')}] (?:${accounts.join('|')}) · `;
	await terminal.waitFor(new RegExp(`${block}[^]*${block}`, 'm'), 30_000);
	assert.equal(await terminal.exited(60_000), 0, await terminal.history());
	const history = await terminal.history();
	for (const id of accounts) {
		assert.match(history, new RegExp(`^✔ ${id} · V\\d ok: `, 'm'));
		assert.match(history, new RegExp(`^${id} +V\\d ok: `, 'm'));
	}

	assert.match(history, /^Account +Result$/m);
	assert.deepEqual(history.split('\n').filter(line => spinnerFrames.some(frame => line.includes(frame))), [], history);
});

test('without a terminal, every progress line names its account', async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, `${accounts.join('\n')}\n`);
	await acceptFunctionsUiPages(dirs.stateDir, accounts.filter(id => id !== '11223344'));
	const result = await runCli(['provision', '--sandbox', '--yes', '--accounts', file], {env: {...dirs.env, LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'}});
	assert.equal(result.code, 0, result.stderr);
	const progress = result.stderr.split('\n').filter(line => /\[\d+\/\d+]/.test(line));
	assert.ok(progress.length >= 6, result.stderr);
	for (const line of progress) {
		assert.ok(accounts.some(id => line.startsWith(`${id} [`)), line);
	}

	for (const id of accounts) {
		assert.ok(progress.some(line => line.startsWith(id)), `no line of ${id}:\n${result.stderr}`);
	}
});
