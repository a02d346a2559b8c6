import test from 'node:test';
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createCliEnv, runCli, spawnCli, type TempDirs} from '../support/cli.js';
import {readNormalizedSandboxState} from '../support/sandbox-state.js';

type TaskReport = {id: string; title: string; status: string; attempts: number; ms: number; detail?: string};
type Report = {accountId: string; version: number; dryRun: boolean; ok: boolean; tasks: TaskReport[]; pendingUi?: {url: string; steps: string[]}};

const adminEnv = {LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};
const v1Tasks = ['activate', 'allowlist', 'secrets'];

function parseReport(stdout: string): Report {
	// The whole of stdout is one JSON document.
	const report = JSON.parse(stdout) as Report;
	for (const task of report.tasks) {
		assert.equal(typeof task.id, 'string');
		assert.equal(typeof task.title, 'string');
		assert.ok(task.title.length > 0);
		assert.equal(typeof task.status, 'string');
		assert.equal(typeof task.attempts, 'number');
		assert.equal(typeof task.ms, 'number');
		assert.ok(task.ms >= 0);
	}

	return report;
}

async function account(dirs: TempDirs, accountId: string) {
	const state = await readNormalizedSandboxState(join(dirs.stateDir, 'sandbox-state.json'));
	assert.ok(state, 'the --sandbox state file exists');
	return state[accountId]!;
}

test('against `lp-onboard sandbox`, provision --yes --json on an account whose Functions UI step nobody did reports what needs the UI and exits 10', async t => {
	const dirs = await createCliEnv(t);
	const sandbox = spawnCli(['sandbox', '--port', '0'], {env: dirs.env});
	t.after(async () => sandbox.stop());
	const url = (await sandbox.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
	const result = await runCli(['provision', '--csds-url', url, '--yes', '--json', '--account', '12345678'], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 10, result.stderr);
	const report = parseReport(result.stdout);
	assert.equal(report.ok, false);
	assert.equal(report.pendingUi?.url, 'https://faas.liveperson.net/');
	assert.match(report.pendingUi.steps.join(' '), /terms of use/);
	assert.deepEqual(report.tasks.map(task => [task.id, task.status]).sort(), v1Tasks.map(id => [id, 'pending']));
	// Nothing was accepted on the user's behalf: the sandbox's page still offers the terms of use.
	const page = await (await fetch(`${url}/sandbox/functions-ui/12345678`)).text();
	assert.match(page, /I agree/);
});

test('provision --sandbox --yes --json accepts the sandbox\'s Functions UI page, then allowlists; the 15 domains, faasGW\'s host included', async t => {
	const dirs = await createCliEnv(t);
	const first = await runCli(['provision', '--sandbox', '--yes', '--json', '--account', '12345678'], {env: {...dirs.env, ...adminEnv}});
	assert.equal(first.code, 0, first.stderr);
	const report = parseReport(first.stdout);
	assert.equal(report.accountId, '12345678');
	assert.equal(report.version, 1);
	assert.equal(report.ok, true);
	assert.deepEqual(report.tasks.map(task => task.id).sort(), v1Tasks);
	assert.match(first.stderr, /stands in for your click in the real UI/);

	const provisioned = await account(dirs, '12345678');
	assert.equal(provisioned.featureActive, true);
	assert.deepEqual([...provisioned.systemSecrets].sort(), ['lp-faas-default-app-key', 'lp-faas-orchestrator-app-key']);
	assert.equal(provisioned.allowlist.length, 15);
	assert.ok(provisioned.allowlist.includes('va.faasgw.sandbox.test'));

	// The same again, with the login as a flag: the UI tasks are skipped, the allowlist is checked again and changes nothing.
	const second = await runCli(['provision', '--sandbox', '--yes', '--json', '--account', '12345678', '--username', 'admin'], {env: {...dirs.env, LP_PASSWORD: adminEnv.LP_PASSWORD}});
	assert.equal(second.code, 0, second.stderr);
	const again = parseReport(second.stdout);
	assert.deepEqual(again.tasks.map(task => [task.id, task.status]).sort(), [['activate', 'skipped'], ['allowlist', 'skipped'], ['secrets', 'skipped']]);
	assert.deepEqual(await account(dirs, '12345678'), provisioned, 'the second run changed nothing');
});

test('provision --dry-run reports what the UI needs and changes nothing', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--dry-run', '--json', '--account', '12345678'], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 10, result.stderr);
	const report = parseReport(result.stdout);
	assert.equal(report.dryRun, true);
	assert.ok(report.pendingUi);
	const after = await account(dirs, '12345678');
	assert.equal(after.featureActive, false);
	assert.deepEqual(after.allowlist, []);
});

test('provision as a non-admin (agent) is refused with exit 8 and changes nothing', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--yes', '--json', '--account', '12345678', '--username', 'agent'], {env: {...dirs.env, LP_PASSWORD: 'sandbox-agent-pass'}});
	assert.equal(result.code, 8, result.stderr);
	assert.match(result.stderr, /not an administrator/);
	assert.match(result.stderr, /nothing was changed/);
	const after = await account(dirs, '12345678');
	assert.equal(after.featureActive, false);
	assert.deepEqual(after.systemSecrets, []);
	assert.deepEqual(after.allowlist, []);
});

test('provision with a wrong password exits 4', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--yes', '--json', '--account', '12345678', '--username', 'admin'], {env: {...dirs.env, LP_PASSWORD: 'not-the-password'}});
	assert.equal(result.code, 4, result.stderr);
	assert.doesNotMatch(result.stderr + result.stdout, /not-the-password/);
});

test('provision without --yes and without a terminal exits 3 naming --yes, before changing anything', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--json', '--account', '11223344'], {env: {...dirs.env, ...adminEnv, CI: 'true'}});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /--yes/);
	assert.equal((await account(dirs, '11223344')).allowlist.length, 15);
});

test('provision without a password and without a terminal exits 3 naming LP_PASSWORD', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--yes', '--account', '12345678', '--username', 'admin'], {env: {...dirs.env, CI: 'true'}});
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /LP_PASSWORD/);
});

test('provision --accounts checks each account, repairs what has an API, reports what waits on the Functions UI, and exits 10', async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, '# two demo accounts\n12345678\n11223344\n');
	// Against `lp-onboard sandbox`, where nobody accepts the Functions UI page on the admin's behalf.
	const sandbox = spawnCli(['sandbox', '--port', '0'], {env: dirs.env});
	t.after(async () => sandbox.stop());
	const url = (await sandbox.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
	const result = await runCli(['provision', '--csds-url', url, '--yes', '--accounts', file], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 10, result.stderr);
	const rows = result.stdout.trim().split('\n');
	assert.equal(rows.length, 2, result.stdout);
	assert.match(rows.find(row => row.startsWith('12345678\t')) ?? '', /waiting on the Functions UI.*terms of use/);
	assert.match(rows.find(row => row.startsWith('11223344\t')) ?? '', /ok: 0 done, 3 already done/);
	const page = await (await fetch(`${url}/sandbox/functions-ui/12345678`)).text();
	assert.match(page, /I agree/);
});

test('provision --sandbox --yes --accounts accepts each stand-in Functions UI page, as for one account, and exits 0', async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, '# two demo accounts\n12345678\n11223344\n');
	const result = await runCli(['provision', '--sandbox', '--yes', '--accounts', file], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 0, result.stderr);
	const rows = result.stdout.trim().split('\n');
	// The allowlist finds the 15 domains provisioning added: already done.
	assert.match(rows.find(row => row.startsWith('12345678\t')) ?? '', /ok: 2 done, 1 already done/);
	assert.match(rows.find(row => row.startsWith('11223344\t')) ?? '', /ok: 0 done, 3 already done/);
	assert.equal((await account(dirs, '12345678')).featureActive, true);
});

test('provision --accounts with a bad id exits 2 naming its line, and provisions nothing', async t => {
	const dirs = await createCliEnv(t);
	const file = join(dirs.root, 'accounts.txt');
	await writeFile(file, '12345678\nnot an id!\n');
	const result = await runCli(['provision', '--sandbox', '--yes', '--accounts', file], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /Line 2\b/);
	const state = await readNormalizedSandboxState(join(dirs.stateDir, 'sandbox-state.json'));
	assert.equal(state?.['12345678']?.featureActive ?? false, false);
});

test('provision --accounts with a missing file exits 2', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--yes', '--accounts', join(dirs.root, 'nope.txt')], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /nope\.txt/);
});

test('provision --functions-version 3 exits 2', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--yes', '--account', '12345678', '--functions-version', '3'], {env: {...dirs.env, ...adminEnv}});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /--functions-version/);
	assert.equal(result.stdout, '');
});

test('a re-run resumes from the checkpoint by default; --no-resume ignores it; both together are a usage error', async t => {
	const dirs = await createCliEnv(t);
	const run = async (...extra: string[]) => runCli(['provision', '--sandbox', '--yes', '--json', '--account', '11223344', ...extra], {env: {...dirs.env, ...adminEnv}});
	const first = await run();
	assert.equal(first.code, 0, first.stderr);
	assert.equal((JSON.parse(first.stdout) as {resumed: boolean}).resumed, false);
	const again = await run('--resume');
	assert.equal(again.code, 0, again.stderr);
	assert.equal((JSON.parse(again.stdout) as {resumed: boolean}).resumed, true);
	const fresh = await run('--no-resume');
	assert.equal(fresh.code, 0, fresh.stderr);
	const report = JSON.parse(fresh.stdout) as {resumed: boolean; tasks: TaskReport[]};
	assert.equal(report.resumed, false);
	// The server stays the truth either way.
	assert.deepEqual(report.tasks.map(task => task.status), ['skipped', 'skipped', 'skipped']);
	const both = await run('--resume', '--no-resume');
	assert.equal(both.code, 2);
	assert.match(both.stderr, /--resume and --no-resume cannot be used together/);
});

test('a refused admin login says which values to check and how to give them to provision, not "re-run the wizard"', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['provision', '--sandbox', '--yes', '--account', '12345678'], {env: {...dirs.env, LP_USERNAME: 'admin', LP_PASSWORD: 'wrong-password'}});
	assert.equal(result.code, 4, result.stderr);
	assert.doesNotMatch(result.stderr, /wizard/);
	assert.match(result.stderr, /Check the user name and password of admin, an admin of 12345678, and provision again: --username \(LP_USERNAME\)/);
});
