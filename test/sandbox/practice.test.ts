import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {
	call, loginAs, newBot, oauthHeader, serviceHost, usersPath,
} from '../support/sandbox-client.js';

// The practice ground of docs/contract.md: one user (get, update, delete with If-Match / ac-revision) and the Skills API.
let sandbox: Sandbox;
let bearer: string;
const skillsPath = '/api/account/12345678/configuration/le-users/skills';

before(async () => {
	sandbox = await startSandbox();
	({bearer} = await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass'));
});

after(async () => {
	await sandbox.close();
});

const auth = (extra: Record<string, string> = {}) => ({authorization: `Bearer ${bearer}`, ...extra});

test('gets one user with ac-revision, and 404 for an id the account does not have', async () => {
	const one = await call(sandbox, `${usersPath('12345678')}/4100002?v=4.0`, {headers: auth()});
	assert.equal(one.status, 200);
	assert.equal(one.json.loginName, 'agent');
	assert.equal(one.json.password, undefined);
	assert.match(String(one.headers['ac-revision']), /^\d+$/);
	const missing = await call(sandbox, `${usersPath('12345678')}/999?v=4.0`, {headers: auth()});
	assert.equal(missing.status, 404);
	assert.equal((await call(sandbox, `${usersPath('12345678')}/4100002`, {headers: auth()})).status, 400);
	assert.equal((await call(sandbox, `${usersPath('12345678')}/4100002?v=4.0`)).status, 401);
});

test('updates a user with the current If-Match, refuses a stale one with 409, and signs with OAuth 1.0 too', async () => {
	const created = await call(sandbox, `${usersPath('12345678')}?v=4.0`, {
		method: 'POST', headers: auth(), body: newBot('practice-bot', sandbox.demo.accounts['12345678'].apiKey.appKey),
	});
	assert.equal(created.status, 201);
	const path = `${usersPath('12345678')}/${created.json.id as string}?v=4.0`;
	const revision = String(created.headers['ac-revision']);
	const entity = {...newBot('practice-bot', sandbox.demo.accounts['12345678'].apiKey.appKey), nickname: 'renamed'};
	const updated = await call(sandbox, path, {method: 'PUT', headers: auth({'if-match': revision}), body: entity});
	assert.equal(updated.status, 200, updated.text);
	assert.equal(updated.json.nickname, 'renamed');
	assert.equal(updated.json.id, created.json.id);
	assert.equal(Number(updated.headers['ac-revision']), Number(revision) + 1);

	const stale = await call(sandbox, path, {method: 'PUT', headers: auth({'if-match': revision}), body: entity});
	assert.equal(stale.status, 409);
	assert.equal(stale.headers['ac-revision'], updated.headers['ac-revision']);
	assert.equal(sandbox.state('12345678').users.find(user => user.id === created.json.id)?.['nickname'], 'renamed');

	const bad = await call(sandbox, path, {method: 'PUT', headers: auth(), body: {...entity, email: ''}});
	assert.equal(bad.status, 400);
	assert.match(bad.json.error.message, /email/);

	const host = serviceHost(sandbox, 'accountConfigReadWrite');
	const url = `http://${host}${path}`;
	const authorization = oauthHeader(sandbox.demo.accounts['12345678'].apiKey, {method: 'PUT', url});
	const signed = await call(sandbox, path, {method: 'PUT', host, headers: {authorization}, body: {...entity, nickname: 'signed'}});
	assert.equal(signed.status, 200, signed.text);
	assert.equal(signed.json.nickname, 'signed');
});

test('deletes a user: gone from the list, its sessions ended, a second delete 404', async () => {
	const created = await call(sandbox, `${usersPath('12345678')}?v=4.0`, {
		method: 'POST', headers: auth(), body: {...newBot('doomed', undefined), userTypeId: 1, isApiUser: false, passwordSh: 'doomed-password'},
	});
	assert.equal(created.status, 201, created.text);
	const session = await loginAs(sandbox, '12345678', 'doomed', 'doomed-password');
	const path = `${usersPath('12345678')}/${created.json.id as string}?v=4.0`;
	const deleted = await call(sandbox, path, {method: 'DELETE', headers: auth({'if-match': String(created.headers['ac-revision'])})});
	assert.equal(deleted.status, 200);
	assert.equal(deleted.json.loginName, 'doomed');
	assert.ok(!sandbox.state('12345678').users.some(user => user.loginName === 'doomed'));
	assert.equal((await call(sandbox, `${usersPath('12345678')}?v=4.0`, {headers: {authorization: `Bearer ${session.bearer}`}})).status, 401);
	assert.equal((await call(sandbox, path, {method: 'DELETE', headers: auth()})).status, 404);
});

test('lists skills with the documented default fields, select and 304 for the current revision', async () => {
	const list = await call(sandbox, `${skillsPath}?v=4.0`, {headers: auth()});
	assert.equal(list.status, 200);
	assert.deepEqual(list.json, [{id: list.json[0].id, deleted: false, name: 'Sales'}]);
	const all = await call(sandbox, `${skillsPath}?v=4.0&select=$all`, {headers: auth()});
	assert.equal(all.json[0].maxWaitTime, 120);
	const names = await call(sandbox, `${skillsPath}?v=4.0&select=name`, {headers: auth()});
	assert.deepEqual(names.json, [{name: 'Sales'}]);
	const unchanged = await call(sandbox, `${skillsPath}?v=4.0`, {headers: auth({'if-match': String(list.headers['ac-revision'])})});
	assert.equal(unchanged.status, 304);
});

test('creates, gets, updates and deletes a skill; a deleted skill shows only with include_deleted', async () => {
	const group = sandbox.demo.accounts['12345678'].agentGroups[0]!.id;
	const created = await call(sandbox, `${skillsPath}?v=4.0`, {
		method: 'POST', headers: auth(), body: {name: 'Support', skillRoutingConfiguration: [{agentGroupId: group, priority: 1, splitPercentage: 100}]},
	});
	assert.equal(created.status, 201, created.text);
	assert.equal(created.json.maxWaitTime, 120);
	assert.equal(created.json.canTransfer, true);
	assert.match(created.json.dateUpdated, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
	assert.equal(created.headers['location'], `${skillsPath}/${created.json.id as number}`);
	const path = `${skillsPath}/${created.json.id as number}?v=4.0`;
	assert.equal((await call(sandbox, path, {headers: auth()})).json.name, 'Support');

	const duplicate = await call(sandbox, `${skillsPath}?v=4.0`, {method: 'POST', headers: auth(), body: [{name: 'support'}]});
	assert.equal(duplicate.status, 400);
	const badGroup = await call(sandbox, `${skillsPath}?v=4.0`, {
		method: 'POST', headers: auth(), body: {name: 'X', skillRoutingConfiguration: [{agentGroupId: 1, priority: 1, splitPercentage: 100}]},
	});
	assert.match(badGroup.json.error.message, /Agent group 1 does not exist/);

	const revision = String(created.headers['ac-revision']);
	const updated = await call(sandbox, path, {method: 'PUT', headers: auth({'if-match': revision}), body: {name: 'Support', maxWaitTime: 30}});
	assert.equal(updated.status, 200);
	assert.equal(updated.json.maxWaitTime, 30);
	assert.equal((await call(sandbox, path, {method: 'PUT', headers: auth({'if-match': revision}), body: {name: 'Support'}})).status, 409);

	const deleted = await call(sandbox, path, {method: 'DELETE', headers: auth()});
	assert.equal(deleted.status, 200);
	assert.equal(deleted.json.deleted, true);
	assert.equal((await call(sandbox, path, {headers: auth()})).status, 404);
	assert.equal((await call(sandbox, `${path}&include_deleted=true`, {headers: auth()})).json.deleted, true);
	const listed = await call(sandbox, `${skillsPath}?v=4.0`, {headers: auth()});
	assert.ok(!listed.json.some((skill: {name: string}) => skill.name === 'Support'));
	const withDeleted = await call(sandbox, `${skillsPath}?v=4.0&include_deleted=true`, {headers: auth()});
	assert.ok(withDeleted.json.some((skill: {name: string; deleted: boolean}) => skill.name === 'Support' && skill.deleted));
});

test('a path the sandbox does not model answers 404 that says so, marked as the sandbox\'s limit', async () => {
	const reply = await call(sandbox, '/api/account/12345678/configuration/le-users/workinghours?v=4.0', {headers: auth()});
	assert.equal(reply.status, 404);
	assert.match(reply.json.error.message, /^The sandbox does not model this call; LivePerson does \(GET \/api\/account/);
	assert.equal(reply.headers['x-lp-sandbox-limit'], 'not-modeled');
	const modelled = await call(sandbox, `${usersPath('12345678')}/999?v=4.0`, {headers: auth()});
	assert.equal(modelled.headers['x-lp-sandbox-limit'], undefined);
});
