import assert from 'node:assert/strict';
import {test} from 'node:test';
import {domainsJson, formatDomainsTable} from '../../source/commands/domains.js';

const domains = {
	smt: 'va.smt.liveperson.net',
	agentVep: 'va.agentvep.liveperson.net',
	accountConfigReadOnly: 'va.ac.liveperson.net',
	Msdkgw: 'va.msdkgw.liveperson.net',
};

test('prints two aligned columns sorted by service', () => {
	assert.equal(formatDomainsTable(domains), [
		'accountConfigReadOnly  va.ac.liveperson.net',
		'agentVep               va.agentvep.liveperson.net',
		'Msdkgw                 va.msdkgw.liveperson.net',
		'smt                    va.smt.liveperson.net',
	].join('\n'));
});

test('prints nothing for no domains', () => {
	assert.equal(formatDomainsTable({}), '');
});

test('gives JSON as an object of service to base URI, sorted like the table', () => {
	const json = domainsJson(domains);
	assert.deepEqual(json, domains);
	assert.deepEqual(Object.keys(json), ['accountConfigReadOnly', 'agentVep', 'Msdkgw', 'smt']);
	assert.equal(JSON.stringify(domainsJson({b: 'y', a: 'x'})), '{"a":"x","b":"y"}');
});
