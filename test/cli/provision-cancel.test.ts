import test from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {createCliEnv, pollUntil, runCli, spawnCli} from '../support/cli.js';
import {readNormalizedSandboxState} from '../support/sandbox-state.js';

type Report = {ok: boolean; tasks: Array<{id: string; status: string; detail?: string}>};

const adminEnv = {LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};
const args = ['provision', '--sandbox', '--yes', '--json', '--account', '87654321'];

test('Ctrl-C (SIGINT) during a V2 provision exits 130 with a valid checkpoint, and the re-run finishes the job', async t => {
	const dirs = await createCliEnv(t);
	const stateFile = join(dirs.stateDir, 'sandbox-state.json');
	const run = spawnCli(args, {env: {...dirs.env, ...adminEnv}});
	t.after(async () => run.stop());
	await pollUntil(async () => (await dirs.checkpoint('87654321'))?.tasks?.['infrastructure']?.status === 'running', 'the checkpoint to show the infrastructure running', 30_000);
	await pollUntil(async () => (await readNormalizedSandboxState(stateFile))?.['87654321']?.infrastructureStarted, 'the sandbox to record the infrastructure start', 30_000);

	run.child.kill('SIGINT');
	const cancelled = await run.exited(30_000);
	assert.equal(cancelled.code, 130, cancelled.stderr);
	assert.match(cancelled.stderr, /cancel/i);
	// The checkpoint stays valid JSON for the resume, and nothing past the infrastructure was done.
	const checkpoint = await dirs.checkpoint('87654321');
	assert.equal(checkpoint?.accountId, '87654321');
	const atCancel = (await readNormalizedSandboxState(stateFile))!['87654321']!;
	assert.equal(atCancel.featureActive, false);
	assert.deepEqual(atCancel.systemSecrets, []);

	const resumed = await runCli(args, {env: {...dirs.env, ...adminEnv}, timeoutMs: 90_000});
	assert.equal(resumed.code, 0, resumed.stderr);
	const report = JSON.parse(resumed.stdout) as Report;
	assert.equal(report.ok, true);
	for (const task of report.tasks) {
		assert.ok(['done', 'skipped'].includes(task.status), `${task.id}: ${task.status} ${task.detail ?? ''}`);
	}

	const final = (await readNormalizedSandboxState(stateFile))!['87654321']!;
	assert.equal(final.featureActive, true);
	assert.deepEqual(final.systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY']);
	assert.equal(final.infrastructureStarted, true);
	assert.deepEqual(final.allowlist, []);
});

test('a V2 dry run starts nothing, changes nothing, and says what waits on the Functions UI (exit 10)', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--dry-run', '--json', '--account', '87654321'], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 10, result.stderr);
	const report = JSON.parse(result.stdout) as Report & {pendingUi?: {steps: string[]}};
	assert.deepEqual(report.tasks.map(task => task.id).sort(), ['activate', 'infrastructure', 'secret', 'store']);
	assert.match(report.pendingUi?.steps.join(' ') ?? '', /10 minutes/);
	const state = (await readNormalizedSandboxState(join(dirs.stateDir, 'sandbox-state.json')))!['87654321']!;
	assert.equal(state.featureActive, false);
	assert.equal(state.infrastructureStarted, false);
	assert.deepEqual(state.systemSecrets, []);
});
