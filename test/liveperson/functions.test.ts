import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {HttpError} from '../../source/errors.js';
import {defaultAllowlistDomains, defaultAllowlistServices, detectFunctionsVersion} from '../../source/liveperson/api.js';
import type {FunctionsContext} from '../../source/liveperson/types.js';
import {withSandbox} from './helpers/sandbox.js';

async function setup(t: TestContext, accountId = '12345678', username = 'admin', ...options: Parameters<typeof withSandbox>) {
	const fixture = await withSandbox(...options);
	t.after(async () => fixture.close());
	const domains = await fixture.api.domains(accountId);
	const password = username === 'admin' ? 'sandbox-admin-pass' : 'sandbox-agent-pass';
	const session = await fixture.api.login(accountId, domains, {username, password});
	const context: FunctionsContext = {session, domains, version: detectFunctionsVersion(domains)};
	return {...fixture, domains, context};
}

describe('Functions helpers', () => {
	test('detects V2 from the faasGW host', () => {
		assert.equal(detectFunctionsVersion({faasGW: 'va.fninvocations.liveperson.net'}), 2);
		assert.equal(detectFunctionsVersion({faasGW: 'va.functions.liveperson.net'}), 2);
		assert.equal(detectFunctionsVersion({faasGW: 'va.faasgw.liveperson.net'}), 1);
		assert.equal(detectFunctionsVersion({}), 1);
	});

	test('lists the 14 default allowlist services', () => {
		assert.equal(defaultAllowlistServices.length, 14);
		assert.equal(new Set(defaultAllowlistServices).size, 14);
	});

	test('derives the default allowlist: deduplicated hosts without ports, unknown services left out', () => {
		assert.deepEqual(defaultAllowlistDomains({
			accountConfigReadOnly: 'va.ac.liveperson.net',
			accountConfigReadWrite: 'va.ac.liveperson.net',
			agentVep: 'va.agentvep.liveperson.net:443',
			faasUI: 'va.faasui.liveperson.net',
			swift: 'VA.Objectstorage.liveperson.net',
		}), ['va.ac.liveperson.net', 'va.agentvep.liveperson.net', 'va.objectstorage.liveperson.net']);
	});

	test('tells the sandbox accounts apart', async t => {
		const {api, context} = await setup(t);
		assert.equal(context.version, 1);
		assert.equal(detectFunctionsVersion(await api.domains('87654321')), 2);
	});
});

describe('Functions V1 over real HTTP (GUESS endpoints)', () => {
	test('reads and activates the feature', async t => {
		const {api, context, sandbox} = await setup(t);
		assert.deepEqual(await api.getFeature(context), {active: false});
		await api.activateFeature(context);
		assert.deepEqual(await api.getFeature(context), {active: true});
		assert.equal(sandbox.state('12345678').feature.active, true);
	});

	test('reads a missing system secret as undefined, then creates it', async t => {
		const {api, context} = await setup(t);
		assert.equal(await api.getSystemSecret(context, 'lp-faas-default-app-key'), undefined);
		const created = await api.createSystemSecret(context, 'lp-faas-default-app-key');
		assert.equal(created.key, 'lp-faas-default-app-key');
		assert.ok(created.privileges.includes('Users: Read'));
		assert.deepEqual(await api.getSystemSecret(context, 'lp-faas-default-app-key'), created);
		assert.deepEqual(await api.createSystemSecret(context, 'lp-faas-default-app-key'), created);
	});

	test('allowlists domains and reports a duplicate as 409', async t => {
		const {api, context, domains} = await setup(t);
		const before = await api.listAllowedDomains(context);
		const [first] = defaultAllowlistDomains(domains);
		const added = await api.allowDomain(context, first!);
		assert.equal(added.domain, first);
		assert.equal(typeof added.id, 'number');
		assert.deepEqual(await api.listAllowedDomains(context), [...before, added]);
		await assert.rejects(api.allowDomain(context, first!), (error: unknown) => {
			assert.ok(error instanceof HttpError);
			assert.equal(error.status, 409);
			assert.equal(error.code, 'com.liveperson.faas.proxy-settings.duplicate');
			assert.match(error.hint!, /already on the allowlist/);
			return true;
		});
	});

	test('refuses a non-admin with 403 and an admin hint', async t => {
		const {api, context} = await setup(t, '12345678', 'agent');
		await assert.rejects(api.getFeature(context), (error: unknown) => {
			assert.ok(error instanceof HttpError);
			assert.equal(error.status, 403);
			assert.equal(error.code, 'com.liveperson.faas.forbidden');
			assert.match(error.hint!, /administrator/);
			return true;
		});
	});

	test('reports an ended session as 401', async t => {
		const {api, context, domains} = await setup(t);
		await api.logout(context.session, domains);
		await assert.rejects(api.getFeature(context), (error: unknown) => error instanceof HttpError && error.status === 401 && /sign in again/.test(error.hint!));
	});

	test('retries reads on 5xx, 429 and reset; does not retry allowDomain on 5xx', async t => {
		const {api, context, domains, sandbox, sleeps} = await setup(t);
		sandbox.addFault({match: {path: '/feature'}, kind: 'status', status: 500, times: 1});
		sandbox.addFault({match: {path: '/feature'}, kind: 'status', status: 429, retryAfter: 3, times: 1});
		assert.deepEqual(await api.getFeature(context), {active: false});
		assert.deepEqual(sleeps, [5000, 3000]);
		sandbox.addFault({match: {path: '/feature'}, kind: 'reset', times: 1});
		await api.activateFeature(context);
		sandbox.addFault({match: {path: '/proxy-settings', method: 'POST'}, kind: 'status', status: 503, times: 1});
		await assert.rejects(api.allowDomain(context, defaultAllowlistDomains(domains)[0]!), (error: unknown) => error instanceof HttpError && error.status === 503);
		assert.equal(sandbox.requests().filter(({method, path}) => method === 'POST' && path.endsWith('/proxy-settings')).length, 1);
	});

	test('fails after four 5xx, times out on a hang, reports malformed JSON, honours abort', async t => {
		const {api, context, sandbox, client} = await setup(t);
		sandbox.addFault({match: {path: '/system-secrets/'}, kind: 'status', status: 502, times: 4});
		await assert.rejects(api.getSystemSecret(context, 'lp-faas-default-app-key'), (error: unknown) => error instanceof HttpError && error.status === 502);
		sandbox.addFault({match: {path: '/proxy-settings'}, kind: 'malformed', times: 1});
		await assert.rejects(api.listAllowedDomains(context), (error: unknown) => error instanceof HttpError && /not the JSON/.test(error.message));
		sandbox.addFault({match: {path: '/feature'}, kind: 'hang'});
		await assert.rejects(client({timeoutMs: 100}).getFeature(context), (error: unknown) => error instanceof HttpError && /no answer within 100 ms/.test(error.message));
		await assert.rejects(api.listAllowedDomains(context, {signal: AbortSignal.abort()}), {name: 'CancelledError'});
	});
});

describe('Functions V2 over real HTTP (GUESS endpoints)', () => {
	test('starts the infrastructure; feature and secret wait for it with a pending 409', async t => {
		const {api, context} = await setup(t, '87654321');
		assert.equal(context.version, 2);
		assert.deepEqual(await api.getInfrastructure(context), {state: 'none', progress: 0});
		const started = await api.startInfrastructure(context);
		assert.equal(started.state, 'running');
		assert.equal((await api.startInfrastructure(context)).state, 'running');
		for (const call of [api.activateFeature(context), api.createSystemSecret(context, 'LIVEPERSON_DEFAULT_APP_KEY')]) {
			await assert.rejects(call, (error: unknown) => {
				assert.ok(error instanceof HttpError);
				assert.equal(error.status, 409);
				assert.equal(error.code, 'com.liveperson.faas.self-service.pending');
				assert.match(error.hint!, /still setting up/);
				return true;
			});
		}
	});

	test('creates the secret and activates once the infrastructure is done', async t => {
		const {api, context, sandbox} = await setup(t, '87654321', 'admin', {}, {infrastructureMs: 0});
		await api.startInfrastructure(context);
		assert.deepEqual(await api.getInfrastructure(context), {state: 'done', progress: 100});
		assert.equal(await api.getSystemSecret(context, 'LIVEPERSON_DEFAULT_APP_KEY'), undefined);
		assert.equal((await api.createSystemSecret(context, 'LIVEPERSON_DEFAULT_APP_KEY')).key, 'LIVEPERSON_DEFAULT_APP_KEY');
		await api.activateFeature(context);
		assert.deepEqual(await api.getFeature(context), {active: true});
		assert.deepEqual(sandbox.state('87654321').systemSecrets, ['LIVEPERSON_DEFAULT_APP_KEY']);
	});

	test('retries starting the infrastructure after a reset (a repeated start answers the current state)', async t => {
		const {api, context, sandbox, sleeps} = await setup(t, '87654321');
		sandbox.addFault({match: {path: '/infrastructure', method: 'POST'}, kind: 'reset', times: 1});
		assert.equal((await api.startInfrastructure(context)).state, 'running');
		assert.deepEqual(sleeps, [5000]);
	});
});
