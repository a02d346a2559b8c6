// The summary's next steps, pasted into a shell as a person would, against the same persisted `--sandbox` state; and a
// re-run after LivePerson (the sandbox's state file) lost the bot user. Real processes: build first (`npm run build`).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFile, writeFile} from 'node:fs/promises';
import {join, relative, resolve} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {commands} from '../../source/cli/args.js';
import {cliPath, createCliEnv, plainEnv, runCli} from '../support/cli.js';
import type {PersistedSandboxState} from '../support/world.js';

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const invocation = `node ${relative(root, cliPath)}`;

/** The commands under "Next steps:" in the summary, as pasted: without comment lines, a "\\" continuation kept with its command. */
function nextSteps(stderr: string): string[] {
	const from = stderr.lastIndexOf('Next steps:');
	assert.notEqual(from, -1, `no next steps in:\n${stderr}`);
	const lines = stderr.slice(from).split('\n').slice(1).map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#'));
	return lines.join('\n').split(/(?<!\\)\n/);
}

/** One pasted command as one line, for matching. */
function flat(step: string): string {
	return step.replaceAll(/ \\\n\s*/g, ' ');
}

test('the next steps run as pasted against the same --sandbox state, and a re-run recreates a bot LivePerson lost', {timeout: 120_000}, async t => {
	const dirs = await createCliEnv(t, 'lp-next-');
	const env = {...dirs.env, ...plainEnv, LP_PASSWORD: 'sandbox-admin-pass'};
	const wizard = ['--sandbox', '--demo', '--yes', '--username', 'admin', '--insecure-storage', '--profile', 'next'];
	const first = await runCli(wizard, {env, cwd: root, timeoutMs: 60_000});
	assert.equal(first.code, 0, first.stderr);
	assert.match(first.stderr, /You are set up\./);
	const steps = nextSteps(first.stderr);
	assert.deepEqual(steps.map(step => step.split(' ')[2]), ['api', 'status']);
	for (const step of steps) {
		assert.ok(step.startsWith(`${invocation} `), `"${step}" does not start with how the wizard was run (${invocation})`);
		assert.match(flat(step), / --sandbox --profile next$/);
		assert.doesNotMatch(step, /127\.0\.0\.1|:\d{4,5}\b|https?:/, 'a step names the in-process sandbox');
	}

	// Each step pasted into a shell in the directory the wizard ran in; every one names a command of this build.
	assert.deepEqual(steps.filter(step => !(commands as readonly string[]).includes(step.split(' ')[2]!)), []);
	for (const step of steps) {
		const result = await exec('sh', ['-c', step], {env, cwd: root, timeout: 30_000}).then(
			({stdout, stderr}) => ({code: 0, stdout, stderr}),
			(error: {code?: number; stdout?: string; stderr?: string}) => ({code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? ''}),
		);
		assert.equal(result.code, 0, `${step}\n${result.stdout}\n${result.stderr}`);
		if (step.includes(' api GET ')) {
			// The signed call answers with the account's users, the bot among them.
			assert.match(result.stdout, /"loginName": ?"lp-onboard-bot"/);
		}

		if (step.includes(' status ')) {
			assert.match(result.stdout, /12345678/);
			assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /ENOTFOUND|api\.liveperson\.net/, 'status left the sandbox');
		}
	}

	// LivePerson loses the bot user between two runs.
	const stateFile = join(dirs.stateDir, 'sandbox-state.json');
	const state = JSON.parse(await readFile(stateFile, 'utf8')) as PersistedSandboxState;
	const account = state.accounts.find(candidate => candidate.accountId === '12345678')!;
	assert.ok(account.users.some(user => user.loginName === 'lp-onboard-bot'));
	account.users = account.users.filter(user => user.loginName !== 'lp-onboard-bot');
	await writeFile(stateFile, JSON.stringify(state));

	const second = await runCli(wizard, {env, cwd: root, timeoutMs: 60_000});
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stderr, /The bot user lp-onboard-bot is gone on LivePerson; creating it again\./);
	assert.doesNotMatch(second.stderr, /Already done: lp-onboard-bot|Bot user \(already done\)/i);
	assert.match(second.stderr, /Login: +lp-onboard-bot with the credentials \(bot user\) \(created now\)/);
	assert.match(second.stderr, /Already done: account 12345678 \(it still resolves in CSDS\)\./);
	const after = JSON.parse(await readFile(stateFile, 'utf8')) as PersistedSandboxState;
	assert.ok(after.accounts.find(candidate => candidate.accountId === '12345678')!.users.some(user => user.loginName === 'lp-onboard-bot'));
});
