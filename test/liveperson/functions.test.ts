import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {HttpError} from '../../source/errors.js';
import {defaultAllowlistDomains, defaultAllowlistServices, detectFunctionsVersion} from '../../source/liveperson/api.js';
import type {FunctionsContext} from '../../source/liveperson/types.js';
import {createSandboxWorld, type SandboxWorldOptions} from '../support/world.js';

async function setup(t: TestContext, accountId = '12345678', username = 'admin', options: SandboxWorldOptions = {}) {
	const fixture = await createSandboxWorld({...options, test: t});
	const domains = await fixture.api.domains(accountId);
	const password = username === 'admin' ? 'sandbox-admin-pass' : 'sandbox-agent-pass';
	const session = await fixture.api.login(accountId, domains, {username, password});
	const context: FunctionsContext = {session, domains, version: detectFunctionsVersion(domains)};
	return {...fixture, domains, context};
}

const functionsCalls = (sandbox: {requests(): ReadonlyArray<{method: string; path: string}>}) =>
	sandbox.requests().filter(({path}) => /\/(lambdas|functions|proxy-settings)$/.test(path));

describe('Functions helpers', () => {
	test('detects V2 from the faasGW host, whatever its casing in CSDS', () => {
		assert.equal(detectFunctionsVersion({faasGW: 'va.fninvocations.liveperson.net'}), 2);
		assert.equal(detectFunctionsVersion({FAASGW: 'va.fninvocations.liveperson.net'}), 2);
		assert.equal(detectFunctionsVersion({faasGW: 'va.functions.liveperson.net'}), 2);
		assert.equal(detectFunctionsVersion({faasGW: 'va.faasgw.liveperson.net'}), 1);
		assert.equal(detectFunctionsVersion({}), 1);
	});

	test('lists the provisioning page\'s 15 default allowlist services, faaSGW included', () => {
		assert.equal(defaultAllowlistServices.length, 15);
		assert.equal(new Set(defaultAllowlistServices.map(name => name.toLowerCase())).size, 15);
		assert.ok(defaultAllowlistServices.includes('faaSGW'));
		assert.ok(defaultAllowlistServices.includes('Msdkgw'));
	});

	test('derives the default allowlist: service names matched case-insensitively, hosts deduplicated without ports', () => {
		assert.deepEqual(defaultAllowlistDomains({
			faasGW: 'va.faasgw.liveperson.net',
			accountConfigReadOnly: 'va.ac.liveperson.net',
			accountConfigReadWrite: 'va.ac.liveperson.net',
			agentVep: 'va.agentvep.liveperson.net:443',
			faasUI: 'va.faasui.liveperson.net',
			msdkgw: 'va.msdkgw.liveperson.net',
			swift: 'VA.Objectstorage.liveperson.net',
		}), ['va.faasgw.liveperson.net', 'va.agentvep.liveperson.net', 'va.ac.liveperson.net', 'va.msdkgw.liveperson.net', 'va.objectstorage.liveperson.net']);
	});

	test('the sandbox\'s CSDS has every default service, so a V1 account has 15 default domains', async t => {
		const {domains, context} = await setup(t);
		assert.equal(context.version, 1);
		assert.equal(defaultAllowlistDomains(domains).length, 15);
	});
});

describe('Functions calls over real HTTP (lpf\'s calls only)', () => {
	test('V1 lists /lambdas with userId and v=1; before provisioning that is "not answering", with the V1 error code', async t => {
		const {api, context, sandbox} = await setup(t);
		assert.deepEqual(await api.probeFunctions(context), {answering: false, status: 404, code: 'com.liveperson.faas.sandbox.not-provisioned'});
		await sandbox.acceptFunctionsUi('12345678');
		assert.deepEqual(await api.probeFunctions(context), {answering: true, status: 200, functions: 0});
		assert.deepEqual(functionsCalls(sandbox).map(({method, path}) => `${method} ${path}`), [
			'GET /api/account/12345678/lambdas',
			'GET /api/account/12345678/lambdas',
		]);
	});

	test('V2 lists /functions without v (the sandbox refuses a v on V2)', async t => {
		const {api, context, sandbox} = await setup(t, '87654321', 'admin', {sandbox: {infrastructureMs: 0}});
		assert.equal(context.version, 2);
		assert.deepEqual(await api.probeFunctions(context), {answering: false, status: 404, code: 'com.liveperson.faas.sandbox.not-provisioned'});
		await sandbox.acceptFunctionsUi('87654321');
		assert.deepEqual(await api.probeFunctions(context), {answering: true, status: 200, functions: 0});
		const domains = context.domains;
		const url = `http://${domains.faasUI}/api/account/87654321/functions?userId=${context.session.userId}&v=2`;
		const response = await fetch(url.replace(/^http:\/\/[^/]+/, sandbox.url), {headers: {authorization: `Bearer ${context.session.bearer}`}});
		assert.equal(response.status, 400);
		assert.deepEqual(Object.keys(await response.json() as object).sort(), ['code', 'message']);
	});

	test('allowDomain posts lpf\'s body; a duplicate comes back as a refusal with the V1 error body, not an exception', async t => {
		const {api, context, domains, sandbox} = await setup(t);
		await sandbox.acceptFunctionsUi('12345678');
		const domain = 'example.com';
		const added = await api.allowDomain(context, domain);
		assert.equal(added.added, true);
		assert.ok(sandbox.state('12345678').allowlist.includes(domain));
		const again = await api.allowDomain(context, defaultAllowlistDomains(domains)[0]!);
		assert.deepEqual(again, {
			added: false, domain: defaultAllowlistDomains(domains)[0], status: 400, code: 'com.liveperson.faas.sandbox.duplicate-domain', message: `${defaultAllowlistDomains(domains)[0]} is already allowlisted.`, duplicate: true,
		});
		// Any other refusal is not read as a duplicate.
		const invalid = await api.allowDomain(context, 'not a domain');
		assert.equal(invalid.added, false);
		assert.equal(!invalid.added && invalid.duplicate, false);
		assert.equal(!invalid.added && invalid.code, 'com.liveperson.faas.fm.validation.invalid-domain');
	});

	test('reports an ended session as 401 with a sign-in hint', async t => {
		const {api, context, domains} = await setup(t);
		await api.logout(context.session, domains);
		await assert.rejects(api.probeFunctions(context), (error: unknown) => error instanceof HttpError && error.status === 401 && /sign in again/.test(error.hint!));
	});

	test('does not retry allowDomain on 5xx; fails on malformed JSON; honours abort', async t => {
		const {api, context, sandbox} = await setup(t);
		await sandbox.acceptFunctionsUi('12345678');
		sandbox.addFault({match: {path: '/proxy-settings', method: 'POST'}, kind: 'status', status: 503, times: 1});
		await assert.rejects(api.allowDomain(context, 'example.com'), (error: unknown) => error instanceof HttpError && error.status === 503);
		assert.equal(sandbox.requests().filter(({method, path}) => method === 'POST' && path.endsWith('/proxy-settings')).length, 1);
		sandbox.addFault({match: {path: '/lambdas'}, kind: 'malformed', times: 1});
		await assert.rejects(api.probeFunctions(context), (error: unknown) => error instanceof HttpError && /not the JSON/.test(error.message));
		await assert.rejects(api.probeFunctions(context, {signal: AbortSignal.abort()}), {name: 'CancelledError'});
	});
});
