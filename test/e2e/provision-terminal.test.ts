// `provision --sandbox` at a real terminal (tmux), as a person runs it: the confirmation comes before the Functions UI step
// (whose acceptance is a change), and the wizard's "provision" next step, pasted into a shell, runs to the end as typed.
// Build first (`npm run build`).
import assert from 'node:assert/strict';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {createCliEnv, plainEnv, runCli, type TempDirs} from '../support/cli.js';
import type {PersistedSandboxState} from '../support/world.js';
import {openTerminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');

function terminalEnv(dirs: TempDirs): Record<string, string> {
	return {...dirs.env, TERM: 'xterm-256color', LANG: 'C.UTF-8'};
}

/** Whether the persisted sandbox state has Functions active on the account (no state file: nothing changed). */
async function functionsActive(dirs: TempDirs, accountId: string): Promise<boolean> {
	const state = await dirs.readJson(join(dirs.stateDir, 'sandbox-state.json')) as PersistedSandboxState | undefined;
	return state?.accounts.find(account => account.accountId === accountId)?.['featureActive'] === true;
}

test('provision at a terminal asks before the sandbox\'s Functions UI step; "no" leaves the account as it was', {timeout: 60_000}, async t => {
	const dirs = await createCliEnv(t);
	const terminal = await openTerminal(['node', join(root, 'dist/cli.js'), 'provision', '--account', '12345678', '--sandbox', '--username', 'admin'], {env: terminalEnv(dirs), cwd: root});
	t.after(async () => terminal.close());
	await terminal.waitFor(/Password of admin/);
	await terminal.type('sandbox-admin-pass', 'Enter');
	const asked = await terminal.waitFor(/Provision LivePerson Functions on account 12345678\?/);
	assert.doesNotMatch(asked, /Accepting on your behalf/);
	await terminal.press('Enter');
	assert.equal(await terminal.exited(), 130, await terminal.history());
	const history = await terminal.history();
	assert.match(history, /cancelled; nothing was changed/);
	assert.doesNotMatch(history, /Accepting on your behalf/);
	assert.equal(await functionsActive(dirs, '12345678'), false);
});

test('the wizard\'s provision next step, pasted at a terminal, logs in as the demo admin and provisions', {timeout: 120_000}, async t => {
	const dirs = await createCliEnv(t);
	const wizard = ['--sandbox', '--demo', '--yes', '--username', 'admin', '--insecure-storage', '--skip-provisioning', '--profile', 'later'];
	const first = await runCli(wizard, {env: {...dirs.env, ...plainEnv, LP_PASSWORD: 'sandbox-admin-pass'}, cwd: root, timeoutMs: 60_000});
	assert.equal(first.code, 0, first.stderr);
	const next = first.stderr.slice(first.stderr.lastIndexOf('Next steps:'));
	// As a shell reads it: comment lines dropped, backslash continuations joined.
	const commands = next.split('\n').slice(1).map(line => line.trim()).filter(line => !line.startsWith('#')).join('\n').replaceAll(/ \\\n\s*/g, ' ').split('\n');
	const step = commands.find(line => / provision /.test(line));
	assert.ok(step, next);
	assert.match(step, /provision --username admin --sandbox --profile later$/);

	const terminal = await openTerminal(['sh', '-c', step], {env: terminalEnv(dirs), cwd: root});
	t.after(async () => terminal.close());
	// The profile's account as the default, taken with Enter.
	if (/account id \(12345678\)/.test(await terminal.waitFor(/account id \(12345678\)|Password of admin/))) {
		await terminal.press('Enter');
	}

	await terminal.waitFor(/Password of admin/);
	await terminal.type('sandbox-admin-pass', 'Enter');
	await terminal.waitFor(/Provision LivePerson Functions on account 12345678\?/);
	await terminal.type('y', 'Enter');
	await terminal.waitFor(/Accept on my behalf/);
	await terminal.press('Enter');
	assert.equal(await terminal.exited(), 0, await terminal.history());
	const history = await terminal.history({joined: true});
	assert.match(history, /15 already listed \(LivePerson\s+added them at provisioning\)/);
	assert.doesNotMatch(history, /refused/);
	assert.equal(await functionsActive(dirs, '12345678'), true);
});
