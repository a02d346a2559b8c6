// Profiles and Agent Groups reads: what LivePerson's own examples show (a signed "Main Group" id of -1) is read, not refused.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MockAgent} from 'undici';
import {createLivePersonApi} from '../../source/liveperson/api.js';
import {pickBotPlacement} from '../../source/wizard/bot-user-step.js';

const origin = 'https://va.ac.example.test';
const domains = {accountConfigReadOnly: 'va.ac.example.test'};

test('an agent group id of -1 (LivePerson\'s "Main Group" example) is read and can be the bot\'s group; a non-numeric id is malformed', async () => {
	const agent = new MockAgent();
	agent.disableNetConnect();
	const api = createLivePersonApi({dispatcher: agent});
	api.trustDomains(domains);
	const pool = agent.get(origin);
	const path = '/api/account/12345678/configuration/le-users/agentGroups?v=4.0';
	pool.intercept({path, method: 'GET'}).reply(200, [{id: -1, name: 'Main Group', parentGroupId: null, isEnabled: true, deleted: false}]);
	const groups = await api.listAgentGroups('12345678', domains, {bearer: 'b'});
	assert.deepEqual(groups.map(group => group.id), [-1]);
	const placement = pickBotPlacement('12345678', [{id: 22, name: 'Agent', roleTypeId: 2, deleted: false}], groups);
	assert.equal(placement.agentGroupId, -1);
	pool.intercept({path, method: 'GET'}).reply(200, [{id: 'main', name: 'Main Group', parentGroupId: null}]);
	await assert.rejects(api.listAgentGroups('12345678', domains, {bearer: 'b'}), /not the JSON lp-onboard expects/);
	await agent.close();
});
