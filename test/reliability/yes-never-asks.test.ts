// Issue 19.4: `--yes` without a terminal never asks. V2 provisioning on the in-process sandbox, whose Functions watch call
// answers 5xx from mid-run on (a fault added through the sandbox's control route: its reads write nothing, so a full disk no
// longer reaches them): the run ends with the documented code for a partial failure (7), the JSON report on stdout, and no
// question ("Does the Functions UI show provisioning finished?").
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createCliEnv, spawnCli} from '../support/cli.js';

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
