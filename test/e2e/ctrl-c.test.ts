// Issue 16.1: Ctrl-C cancels at every moment, in a real terminal (tmux): after questions (the bug: Ink's key reader heard
// nothing once an @inquirer prompt had run), during the Functions UI wait, at the Functions UI question, and in the account
// blocks of `--accounts`. Each ends with exit 130 soon after the key, leaves the checkpoint for a re-run, and leaves no typed
// key for the shell. Build first (`npm run build`).
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {spinnerFrames} from '../../source/ui/format.js';
import {cliPath, createCliEnv, plainEnv, runCli, type TempDirs} from '../support/cli.js';
import {openTerminal, type Terminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');
const liveBar = new RegExp(`^ *[${spinnerFrames.join('')}] .*\\d+%`, 'm');
const liveBlock = new RegExp(`^[${spinnerFrames.join('')}] 87654321 · \\d+ of 4 tasks settled`, 'm');

/** lp-onboard ARGS in bash, which then reads a line as an interactive shell would: keys the terminal still held land there. */
async function shell(t: {after(fn: () => Promise<void>): void}, dirs: TempDirs, args: readonly string[]): Promise<Terminal> {
	const script = 'node "$0" "$@"; code=$?; read -r -t 2 left; echo "[left:$left]"; exit $code';
	const env = {...dirs.env, TERM: 'xterm-256color', LANG: 'C.UTF-8'};
	const terminal = await openTerminal(['bash', '-c', script, cliPath, ...args], {env, cwd: root, width: 100, height: 40});
	t.after(async () => terminal.close());
	return terminal;
}

/** Presses Ctrl-C after typing some keys; the command ends with 130 within a few seconds, and no key reaches the shell. */
async function cancel(terminal: Terminal): Promise<string> {
	await terminal.type('qzq');
	await terminal.press('C-c');
	assert.equal(await terminal.exited(5000), 130, await terminal.history());
	const history = await terminal.history();
	assert.match(history, /\[left:]/, `typed keys reached the shell:\n${history}`);
	assert.match(history, /Cancelled|interrupted/);
	return history;
}

async function answerAdmin(terminal: Terminal): Promise<void> {
	await terminal.waitFor(/Password of admin/);
	await terminal.type('sandbox-admin-pass', 'Enter');
	await terminal.waitFor(/Provision LivePerson Functions on/);
	await terminal.type('y', 'Enter');
}

test('Ctrl-C during the V2 wait, after questions: exit 130, and a re-run resumes from the checkpoint', {timeout: 90_000}, async t => {
	const dirs = await createCliEnv(t);
	const terminal = await shell(t, dirs, ['provision', '--account', '87654321', '--sandbox', '--username', 'admin']);
	await answerAdmin(terminal);
	await terminal.waitFor(/Accept on my behalf/);
	await terminal.press('Enter');
	await terminal.waitFor(liveBar, 30_000);
	await cancel(terminal);
	const checkpoint = await dirs.checkpoint('87654321');
	assert.ok(checkpoint?.tasks, 'no checkpoint was left');
	const again = await runCli(['provision', '--sandbox', '--yes', '--json', '--account', '87654321'], {
		env: {...dirs.env, ...plainEnv, LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'}, timeoutMs: 60_000,
	});
	assert.equal(again.code, 0, again.stderr);
	assert.equal((JSON.parse(again.stdout) as {resumed: boolean}).resumed, true);
});

test('Ctrl-C at the Functions UI question: exit 130, nothing accepted', {timeout: 60_000}, async t => {
	const dirs = await createCliEnv(t);
	const terminal = await shell(t, dirs, ['provision', '--account', '87654321', '--sandbox', '--username', 'admin']);
	await answerAdmin(terminal);
	await terminal.waitFor(/Accept on my behalf/);
	const history = await cancel(terminal);
	assert.doesNotMatch(history, /Accepting on your behalf/);
});

test('Ctrl-C in the account blocks of --accounts, after questions: exit 130', {timeout: 90_000}, async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, '87654321\n12345678\n');
	const terminal = await shell(t, dirs, ['provision', '--sandbox', '--username', 'admin', '--accounts', file]);
	await answerAdmin(terminal);
	await terminal.waitFor(/accept it on your behalf for each account/);
	await terminal.press('Enter');
	await terminal.waitFor(liveBlock, 30_000);
	await cancel(terminal);
	assert.ok(await dirs.checkpoint('87654321'), 'no checkpoint was left');
});
