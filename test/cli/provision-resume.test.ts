import test from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {createCliEnv, pollUntil, runCli, spawnCli} from '../support/cli.js';
import {readNormalizedSandboxState} from '../support/sandbox-state.js';

type TaskReport = {id: string; title: string; status: string; attempts: number; ms: number; detail?: string};
type Report = {accountId: string; version: number; ok: boolean; tasks: TaskReport[]};

const adminEnv = {LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};
const args = ['provision', '--sandbox', '--yes', '--json', '--account', '87654321'];
const v2Tasks = ['activate', 'infrastructure', 'secret', 'store'];

test('a V2 provision SIGKILLed while the infrastructure runs resumes to the same final state as an uninterrupted run', async t => {
	const [interrupted, reference] = await Promise.all([createCliEnv(t), createCliEnv(t)]);
	// The uninterrupted run, in its own temp dirs, at the same time (the sandbox's V2 infrastructure takes ~8 s).
	const referenceRun = runCli(args, {env: {...reference.env, ...adminEnv}, timeoutMs: 90_000});

	const stateFile = join(interrupted.stateDir, 'sandbox-state.json');
	const victim = spawnCli(args, {env: {...interrupted.env, ...adminEnv}});
	t.after(async () => victim.stop());
	await pollUntil(async () => {
		const state = await readNormalizedSandboxState(stateFile);
		return state?.['87654321']?.infrastructureStarted;
	}, 'the sandbox state file to show the V2 infrastructure running', 30_000);
	const checkpoint = await pollUntil(async () => {
		const saved = await interrupted.checkpoint('87654321');
		return saved?.tasks?.['infrastructure'] ? saved : undefined;
	}, 'the checkpoint to record the infrastructure task', 30_000);
	assert.equal(checkpoint.tasks!['infrastructure']!.status, 'running');

	victim.child.kill('SIGKILL');
	const killed = await victim.exited();
	assert.equal(killed.signal, 'SIGKILL');
	const atKill = (await readNormalizedSandboxState(stateFile))!['87654321']!;
	assert.equal(atKill.featureActive, false, 'killed before the feature was activated');
	assert.deepEqual(atKill.systemSecrets, []);

	const resumed = await runCli(args, {env: {...interrupted.env, ...adminEnv}, timeoutMs: 90_000});
	assert.equal(resumed.code, 0, resumed.stderr);
	const resumedReport = JSON.parse(resumed.stdout) as Report;
	assert.equal(resumedReport.ok, true);
	assert.equal(resumedReport.version, 2);
	assert.deepEqual(resumedReport.tasks.map(task => task.id).sort(), v2Tasks);
	const byId = new Map(resumedReport.tasks.map(task => [task.id, task]));
	// Still running when killed: the resumed run watches it to the end.
	for (const id of v2Tasks) {
		assert.ok(['done', 'skipped'].includes(byId.get(id)!.status), id);
	}

	const referenceResult = await referenceRun;
	assert.equal(referenceResult.code, 0, referenceResult.stderr);
	const referenceReport = JSON.parse(referenceResult.stdout) as Report;
	assert.equal(referenceReport.ok, true);
	for (const task of referenceReport.tasks) {
		assert.equal(task.status, 'done', `${task.id}: ${task.detail ?? ''}`);
		assert.equal(typeof task.attempts, 'number');
		assert.equal(typeof task.ms, 'number');
		assert.ok(task.title.length > 0);
	}

	const finalInterrupted = await readNormalizedSandboxState(stateFile);
	const finalReference = await readNormalizedSandboxState(join(reference.stateDir, 'sandbox-state.json'));
	assert.deepEqual(finalInterrupted, finalReference);
	const v2 = finalInterrupted!['87654321']!;
	assert.equal(v2.featureActive, true);
	assert.deepEqual(v2.systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY'], 'the secret exactly once');
	assert.equal(v2.infrastructureStarted, true);
	for (const account of Object.values(finalInterrupted!)) {
		assert.equal(new Set(account.systemSecrets).size, account.systemSecrets.length, `a duplicate secret on ${account.accountId}`);
		assert.equal(new Set(account.allowlist).size, account.allowlist.length, `a duplicate domain on ${account.accountId}`);
	}

	// And a re-run of the uninterrupted one has nothing left to do.
	const rerun = await runCli(args, {env: {...reference.env, ...adminEnv}, timeoutMs: 60_000});
	assert.equal(rerun.code, 0, rerun.stderr);
	for (const task of (JSON.parse(rerun.stdout) as Report).tasks) {
		assert.equal(task.status, 'skipped', `${task.id} was not skipped: ${task.detail ?? ''}`);
	}

	assert.deepEqual(await readNormalizedSandboxState(join(reference.stateDir, 'sandbox-state.json')), finalReference);
});
