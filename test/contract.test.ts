/*
docs/contract.md lists every request lp-onboard sends to LivePerson, each with its public source. This runs the whole wizard
(V1 and V2, bot user created, Functions provisioned through the sandbox's Functions UI page) and `provision` on an account
provisioned elsewhere, in process against the sandbox over real HTTP, and fails on any request the table does not list.
*/
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {test} from 'node:test';
import {provisionAccount} from '../source/provisioning/provision.js';
import {runWizard} from '../source/wizard/run-wizard.js';
import {createRecordingUi} from './support/recording-ui.js';
import {createWizardWorld} from './support/wizard-world.js';

async function sourcedRequests(): Promise<Array<{method: string; path: RegExp; source: string}>> {
	const text = await readFile(new URL('../docs/contract.md', import.meta.url), 'utf8');
	const section = text.split('## Every request')[1]!.split('\n## ')[0]!;
	return section.split('\n').flatMap(line => {
		const cells = line.split('|').map(cell => cell.trim());
		const [, method, path, , source] = cells;
		if (!method || !/^(GET|POST|PUT|PATCH|DELETE)$/.test(method) || !path?.startsWith('`')) {
			return [];
		}

		const pattern = path.replaceAll('`', '').replaceAll('.', '\\.').replaceAll(/\{\w+\}/g, '[^/]+');
		return [{method, path: new RegExp(`^${pattern}$`), source: source ?? ''}];
	});
}

test('docs/contract.md sources every row', async () => {
	const rows = await sourcedRequests();
	assert.ok(rows.length >= 10, 'the table parses');
	for (const row of rows) {
		assert.match(row.source, /DC `|lpf @`[\da-f]{7}`|NAS `/, `${row.method} ${row.path.source} names a source`);
	}
});

test('a full wizard run (V1 and V2) and provision send only requests docs/contract.md sources', async t => {
	const rows = await sourcedRequests();
	const world = await createWizardWorld();
	t.after(async () => world.close());
	for (const accountId of ['12345678', '87654321'] as const) {
		const {deps} = world.run(world.firstRun(accountId), {overrides: {profile: accountId}});
		const result = await runWizard(deps, {csdsUrl: world.sandbox.url});
		assert.equal(result.provisioning.status, 'done', accountId);
	}

	const report = await provisionAccount({
		api: world.api, ui: createRecordingUi().ui, accountId: '11223344', login: {username: 'admin', password: 'sandbox-admin-pass'},
		yes: true, confirm: async () => true, signal: new AbortController().signal, clock: world.clock,
		stateDir: world.stateDir,
	});
	assert.equal(report.ok, true);

	const requests = world.sandbox.requests();
	const seen = new Set(requests.map(({method, path}) => `${method} ${path.replace(/\/api\/account\/\d+/, '/api/account/{accountId}')}`));
	for (const expected of ['GET /api/account/{accountId}/configuration/le-users/profiles', 'GET /api/account/{accountId}/configuration/le-users/agentGroups',
		'GET /api/account/{accountId}/lambdas', 'GET /api/account/{accountId}/functions', 'POST /api/account/{accountId}/proxy-settings']) {
		assert.ok(seen.has(expected), `the runs sent ${expected}`);
	}

	const unsourced = requests.filter(({method, path}) => !rows.some(row => row.method === method && row.path.test(path)));
	assert.deepEqual(unsourced.map(({method, path}) => `${method} ${path}`), []);
});
