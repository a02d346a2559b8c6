// Issue 19.4: `--yes` without a terminal never asks. V2 provisioning on the in-process sandbox while its disk (the state
// directory, a tiny tmpfs) fills mid-run: the checkpoint cannot be saved, which is a warning and not a failure; the run
// ends with the documented code (0: LivePerson finished), the JSON report on stdout, and no question ("Does the Functions
// UI show provisioning finished?"). The sandbox's reads write nothing, so a full disk gives its Functions calls no 5xx any
// more: lasting 5xx under --yes (exit 7, never a question) are driven in-process by test/provisioning/never-asks.test.ts.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {createCliEnv, spawnCli} from '../support/cli.js';
import {mountSkip} from '../support/tmpfs.js';

const run = promisify(execFile);

type Report = {ok: boolean; version: number; pendingUi?: unknown; tasks: Array<{id: string; status: string; error?: {message: string}}>};

test('provision --sandbox --yes --json on V2 while the disk fills: a checkpoint warning, the report on stdout, exit 0, no question', {skip: mountSkip, timeout: 120_000}, async t => {
	const dirs = await createCliEnv(t);
	const state = await mkdtemp(join(tmpdir(), 'lp-full-state-'));
	await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', state]);
	t.after(async () => {
		await run('umount', [state]);
		await rm(state, {recursive: true, force: true});
	});
	await mkdir(join(state, 'lp-onboard'), {mode: 0o700});
	const cli = spawnCli(['provision', '--sandbox', '--yes', '--json', '--account', '87654321'], {
		env: {...dirs.env, XDG_STATE_HOME: state, CI: 'true', LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'},
	});
	t.after(async () => cli.stop());
	// The sandbox's page is accepted and the V2 wait has begun: now the disk fills.
	// V2's tasks share one wait (LivePerson finishes them together), drawn as one line naming them.
	await cli.waitForOutput(/▸ LivePerson provisions Functions V2 \(up to 10 min\): Activate the Functions feature;/, {stream: 'stderr', timeoutMs: 30_000});
	await run('sh', ['-c', `cat /dev/zero > ${join(state, 'filler')}`]).catch(() => undefined);
	const result = await cli.exited(90_000);
	assert.equal(result.code, 0, result.stderr);
	assert.doesNotMatch(result.stderr, /Does the Functions UI|run it in a terminal|^\? /im, 'a question was asked');
	assert.match(result.stderr, /Could not save the provisioning checkpoint/);
	const report = JSON.parse(result.stdout) as Report;
	assert.equal(report.ok, true, result.stdout);
	assert.equal(report.version, 2);
	assert.equal(report.pendingUi, undefined);
	assert.ok(report.tasks.length > 0 && report.tasks.every(task => task.status === 'done' || task.status === 'skipped'), result.stdout);
});
