import assert from 'node:assert/strict';
import {test} from 'node:test';
import {run as api} from '../../source/commands/api.js';
import {exitCodes} from '../../source/errors.js';
import {type CommandWorld, commandWorld as world, demoKeyEnv} from '../support/factory.js';
import {newBot} from '../support/sandbox-client.js';

// `lp-onboard api` on the sandbox's practice ground: one user and the Skills API, signed with the demo key.
const accountId = '12345678';

async function run(w: CommandWorld, args: readonly string[], data?: unknown) {
	const argv = ['api', '--account', accountId, ...(data === undefined ? [] : ['--data', JSON.stringify(data)])];
	const {f, screen} = w.factory(argv, {env: demoKeyEnv(w)});
	const result = await api(f, args);
	return {result, warnings: screen.messages('warn'), body: result.text ? JSON.parse(result.text) as Record<string, unknown> : undefined};
}

test('api gets, updates and deletes one user on the sandbox', async t => {
	const w = await world(t);
	const users = '/api/account/{accountId}/configuration/le-users/users';
	const created = await run(w, ['POST', `${users}?v=4.0`], newBot('api-practice', w.sandbox.demo.accounts[accountId].apiKey.appKey));
	assert.equal(created.result.exitCode, 0);
	const id = created.body!['id'] as string;
	const one = await run(w, ['GET', `${users}/${id}?v=4.0`]);
	assert.equal(one.body!['loginName'], 'api-practice');

	const updated = await run(w, ['PUT', `${users}/${id}?v=4.0`], {...newBot('api-practice', undefined), isApiUser: false, nickname: 'via-api'});
	assert.equal(updated.result.exitCode, 0, JSON.stringify(updated));
	assert.equal(updated.body!['nickname'], 'via-api');
	assert.equal((await run(w, ['DELETE', `${users}/${id}?v=4.0`])).result.exitCode, 0);
	assert.ok(!w.sandbox.state(accountId).users.some(user => user.id === id));
	const gone = await run(w, ['GET', `${users}/${id}?v=4.0`]);
	assert.equal(gone.result.exitCode, exitCodes.usage);
	assert.deepEqual(gone.warnings, ['LivePerson answered HTTP 404.']);
});

test('the users list answers every field without select, and only the named ones with it', async t => {
	const w = await world(t);
	const users = '/api/account/{accountId}/configuration/le-users/users?v=4.0';
	const all = (await run(w, ['GET', users])).body as unknown as Array<Record<string, unknown>>;
	assert.ok(all.length > 0 && all.every(user => 'profileIds' in user && 'email' in user), JSON.stringify(all));
	assert.ok(all.every(user => !('password' in user) && !('passwordSh' in user)), 'never a password');
	const some = (await run(w, ['GET', `${users}&select=id,loginName`])).body as unknown as Array<Record<string, unknown>>;
	assert.deepEqual(some.map(user => Object.keys(user).sort()), all.map(() => ['id', 'loginName']));
	assert.deepEqual(some.map(user => user['loginName']), all.map(user => user['loginName']));
});

test('api manages skills on the sandbox', async t => {
	const w = await world(t);
	const skills = '/api/account/{accountId}/configuration/le-users/skills';
	const created = await run(w, ['POST', `${skills}?v=4.0`], {name: 'Billing'});
	assert.equal(created.result.exitCode, 0);
	const id = String(created.body!['id']);
	assert.equal((await run(w, ['PUT', `${skills}/${id}?v=4.0`], {name: 'Billing', maxWaitTime: 60})).body!['maxWaitTime'], 60);
	const listed = await run(w, ['GET', `${skills}?v=4.0`]);
	assert.ok((listed.body as unknown as Array<{name: string}>).some(skill => skill.name === 'Billing'));
	assert.equal((await run(w, ['DELETE', `${skills}/${id}?v=4.0`])).body!['deleted'], true);
});

test('api reports a path the sandbox does not model as the sandbox\'s limit, not as LivePerson\'s 404', async t => {
	const w = await world(t);
	const reply = await run(w, ['GET', '/api/account/{accountId}/configuration/le-users/workinghours?v=4.0']);
	assert.equal(reply.result.exitCode, exitCodes.usage);
	assert.equal(reply.warnings.length, 1);
	assert.match(reply.warnings[0]!, /^The sandbox does not model GET \/api\/account\/12345678\/configuration\/le-users\/workinghours; LivePerson does/);
	assert.doesNotMatch(reply.warnings[0]!, /LivePerson answered/);
});
