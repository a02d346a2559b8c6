import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startSandbox} from '../../source/sandbox/server.js';
import {call, loginAs, newBot, usersPath} from './helpers/client.js';

let directory: string;

before(async () => {
	directory = await mkdtemp(join(tmpdir(), 'lp-sandbox-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

test('keeps provisioning, users and sessions in the state file between runs', async () => {
	const stateFile = join(directory, 'nested', 'sandbox-state.json');
	const first = await startSandbox({stateFile});
	const {bearer, userId} = await loginAs(first, '12345678', 'admin', 'sandbox-admin-pass');
	const headers = {authorization: `Bearer ${bearer}`};
	let created;
	try {
		await first.acceptFunctionsUi('12345678');
		assert.equal((await call(first, `/api/account/12345678/proxy-settings?v=1&userId=${userId}`, {
			method: 'POST', headers, body: {timestamp: 0, domain: 'example.com', id: -1},
		})).status, 200);
		created = await call(first, `${usersPath('12345678')}?v=4.0`, {
			method: 'POST', headers, body: newBot('kept-bot', first.demo.accounts['12345678'].apiKey.appKey),
		});
		assert.equal(created.status, 201);
	} finally {
		await first.close();
	}

	assert.equal((await stat(stateFile)).mode & 0o777, 0o600);

	const second = await startSandbox({stateFile});
	try {
		const state = second.state('12345678');
		assert.equal(state.feature.active, true);
		assert.equal(state.allowlist.length, 16);
		assert.equal(state.allowlist.at(-1), 'example.com');
		assert.ok(state.users.some(user => user.loginName === 'kept-bot'));
		assert.equal((await call(second, `/api/account/12345678/lambdas?v=1&userId=${userId}`, {headers})).status, 200);
		const another = await call(second, `${usersPath('12345678')}?v=4.0`, {
			method: 'POST', headers, body: newBot('second-bot', second.demo.accounts['12345678'].apiKey.appKey),
		});
		assert.notEqual(another.json.id, created.json.id);
		assert.equal(second.state('87654321').feature.active, false);
	} finally {
		await second.close();
	}
});

test('starts from the seed when the state file is missing or not a sandbox state', async () => {
	const stateFile = join(directory, 'junk.json');
	await writeFile(stateFile, '{"not": "ours"}');
	const sandbox = await startSandbox({stateFile});
	try {
		assert.equal(sandbox.state('12345678').feature.active, false);
		assert.equal(sandbox.state('11223344').feature.active, true);
		assert.equal(await readFile(stateFile, 'utf8'), '{"not": "ours"}');
	} finally {
		await sandbox.close();
	}

	const missing = await startSandbox({stateFile: join(directory, 'missing.json')});
	await missing.close();
});
