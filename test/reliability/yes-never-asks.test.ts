// Issue 19.4: `--yes` without a terminal never asks. V2 provisioning on the in-process sandbox, two ways:
// - its Functions watch call answers 5xx from mid-run on (a fault added through the sandbox's control route): the run ends
//   with the documented code for a partial failure (7), the JSON report on stdout, and no question ("Does the Functions
//   UI show provisioning finished?");
// - its disk (the state directory, a tiny tmpfs) fills mid-run: the checkpoint cannot be saved, which is a warning and not
//   a failure; the run ends 0 with the report on stdout and no question. (The sandbox's reads write nothing, so a full
//   disk gives its Functions calls no 5xx.)
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

test('provision --sandbox --yes --json on V2 with 5xx on the Functions watch: exit 7, the report on stdout, no question', {timeout: 120_000}, async t => {
	const dirs = await createCliEnv(t);
	const cli = spawnCli(['provision', '--sandbox', '--yes', '--json', '--account', '87654321'], {
		env: {...dirs.env, CI: 'true', LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'},
	});
	t.after(async () => cli.stop());
	const [, sandboxUrl] = await cli.waitForOutput(/its stand-in page: (http:\/\/127\.0\.0\.1:\d+)\//, {stream: 'stderr', timeoutMs: 30_000});
	// The sandbox's page is accepted and the V2 wait (one row for the tasks LivePerson finishes together) has begun: now
	// every watch call answers 503.
	await cli.waitForOutput(/▸ LivePerson provisions Functions V2 \(up to 10 min\): Activate the Functions feature;/, {stream: 'stderr', timeoutMs: 30_000});
	const added = await fetch(`${sandboxUrl!}/__sandbox/faults`, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify({kind: 'status', status: 503, match: {method: 'GET', path: '/functions'}}),
	});
	assert.equal(added.status, 201);
	const result = await cli.exited(90_000);
	assert.equal(result.code, 7, result.stderr);
	assert.doesNotMatch(result.stderr, /Does the Functions UI|run it in a terminal|^\? /im, 'a question was asked');
	const report = JSON.parse(result.stdout) as Report;
	assert.equal(report.ok, false);
	assert.equal(report.version, 2);
	assert.equal(report.pendingUi, undefined, 'a failed call is no wait on the Functions UI');
	assert.ok(report.tasks.some(task => task.status === 'failed' && /answered 5\d\d/.test(task.error?.message ?? '')), result.stdout);
});

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
