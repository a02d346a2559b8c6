import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CancelledError, exitCodes} from '../../source/errors.js';
import type {LivePersonApi} from '../../source/liveperson/types.js';
import {provisionMany, type ProvisionManyOptions} from '../../source/provisioning/provision-many.js';
import {createProvisionWorld, mutations} from '../support/provision-world.js';

async function manyOptions(t: {after(fn: () => Promise<void>): void}, accountIds: string[]) {
	const environment = await createProvisionWorld({test: t});
	const {options, recording} = environment.provisionOptions(accountIds[0]!);
	const {accountId: _, ...shared} = options;
	const many: ProvisionManyOptions = {...shared, ui: recording.ui, accountIds};
	return {...environment, many, recording};
}

test('provisionMany checks every account, repairs what has an API, and reports what still needs the Functions UI (exit 10)', async t => {
	const {sandbox, many} = await manyOptions(t, ['12345678', '87654321', '11223344']);
	let asked = 0;
	const result = await provisionMany({...many, yes: false, async confirm() {
		asked++;
		return true;
	}});

	assert.equal(asked, 1, 'one question for all accounts');
	assert.equal(result.ok, false);
	assert.equal(result.exitCode, exitCodes.pendingUi);
	assert.deepEqual(result.outcomes.map(outcome => [outcome.accountId, outcome.report?.version, outcome.report?.ok, outcome.report?.pendingUi?.version]), [
		['12345678', 1, false, 1],
		['87654321', 2, false, 2],
		['11223344', 1, true, undefined],
	]);
	assert.deepEqual(result.headers, ['Account', 'Result']);
	assert.match(result.rows[0]![1], /^V1 waiting on the Functions UI: 0 done, 0 already done \(.*terms of use/);
	assert.match(result.rows[1]![1], /^V2 waiting on the Functions UI: .*10 minutes/);
	assert.deepEqual(result.rows[2], ['11223344', 'V1 ok: 0 done, 3 already done']);
	assert.equal(sandbox.state('12345678').feature.active, false);
	assert.equal(sandbox.state('87654321').infrastructure.state, 'none');
});

test('provisionMany goes on past an account that fails and reports partial', async t => {
	const {many} = await manyOptions(t, ['99999999', '11223344']);
	const result = await provisionMany(many);
	assert.equal(result.ok, false);
	assert.equal(result.exitCode, exitCodes.partial);
	assert.equal(result.outcomes[0]?.report, undefined);
	assert.equal(result.outcomes[0]?.error?.refused, false);
	assert.match(result.rows[0]?.[1] ?? '', /^failed: /);
	assert.deepEqual(result.rows[1], ['11223344', 'V1 ok: 0 done, 3 already done']);
});

test('provisionMany with only refused accounts exits as refused and changes nothing', async t => {
	const {sandbox, many} = await manyOptions(t, ['12345678']);
	const result = await provisionMany({...many, login: {username: 'agent', password: 'sandbox-agent-pass'}});
	assert.equal(result.exitCode, exitCodes.refused);
	assert.equal(result.outcomes[0]?.error?.refused, true);
	assert.match(result.rows[0]?.[1] ?? '', /^refused: agent is not an administrator/);
	assert.deepEqual(mutations(sandbox.requests()), []);
});

test('provisionMany runs at most `concurrency` accounts at once, and more than one', async t => {
	const {api, many} = await manyOptions(t, ['12345678', '87654321', '11223344']);
	let inFlight = 0;
	let most = 0;
	// The real client, counting accounts between their CSDS lookup and their logout.
	const counting: LivePersonApi = {
		...api,
		async domains(accountId, options) {
			inFlight++;
			most = Math.max(most, inFlight);
			return api.domains(accountId, options);
		},
		async logout(session, domains, options) {
			try {
				await api.logout(session, domains, options);
			} finally {
				inFlight--;
			}
		},
	};
	const result = await provisionMany({...many, api: counting, concurrency: 2});
	assert.equal(result.outcomes.length, 3);
	assert.ok(result.outcomes.every(outcome => outcome.report));
	assert.equal(most, 2);
	assert.equal(inFlight, 0);
});

test('provisionMany: "no" at the question cancels before any account is touched', async t => {
	const {sandbox, many} = await manyOptions(t, ['12345678', '87654321']);
	await assert.rejects(provisionMany({...many, yes: false, confirm: async () => false}), CancelledError);
	assert.deepEqual(sandbox.requests(), []);
});
