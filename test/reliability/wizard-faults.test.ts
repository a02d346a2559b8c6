/*
Fault matrix, wizard side: a lasting fault at each step that talks to LivePerson after the account is known (the signed proof,
the bot user's creation and login, provisioning's allowlist). Whatever fails, the config file stays valid JSON, the secret store (the real
0600 file store here) holds either none or all four API key values, and a re-run without faults finishes in the same sandbox
state as a clean run.
*/
import assert from 'node:assert/strict';
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {LpError} from '../../source/errors.js';
import type {Fault, Sandbox} from '../../source/sandbox/server.js';
import {createFileStore} from '../../source/secrets/file-store.js';
import {runWizard} from '../../source/wizard/run-wizard.js';
import {createWizardWorld, keyAnswers, withAnswers} from '../support/wizard-world.js';

const accountId = '12345678';

async function world(t: TestContext) {
	// The real 0600 file store, so a test can check what a failed run left in it.
	const world = await createWizardWorld({test: t, client: {timeoutMs: 5000}, secrets: directory => createFileStore(join(directory, 'config', 'credentials.json'))});
	const {apiKey, admin} = world.sandbox.demo.accounts[accountId];
	const run = async () => {
		const {deps} = world.run({...keyAnswers(apiKey), username: admin.loginName, password: admin.password}, {mode: 'no-terminal'});
		// As --sandbox --yes: the sandbox's Functions UI page is accepted on the user's behalf.
		return runWizard(withAnswers(deps, {accountId, botName: 'fault-bot', loginMethod: 'api-key'}), {yes: true, csdsUrl: world.sandbox.url});
	};

	const storedCount = async () => (await world.secrets.list()).length;
	return {sandbox: world.sandbox, run, configFile: world.configFile, credentialsFile: join(world.directory, 'config', 'credentials.json'), storedCount};
}

/** Sandbox state that a wizard run decides, comparable across sandboxes (user ids are counters). */
function comparable(sandbox: Sandbox) {
	const state = sandbox.state(accountId);
	return {
		feature: state.feature,
		systemSecrets: [...state.systemSecrets].sort(),
		allowlist: [...state.allowlist].sort(),
		users: state.users.map(({id: _id, ...user}) => user).sort((a, b) => a.loginName.localeCompare(b.loginName)),
	};
}

let clean: Promise<ReturnType<typeof comparable>> | undefined;
async function cleanState(t: TestContext) {
	clean ??= (async () => {
		const {sandbox, run} = await world(t);
		assert.equal((await run()).ok, true);
		return comparable(sandbox);
	})();
	return clean;
}

type Step = {readonly name: string; readonly match: NonNullable<Fault['match']>; readonly keySaved: boolean};

const steps: Step[] = [
	{name: 'the signed proof of the key', match: {method: 'GET', path: '/le-users/users'}, keySaved: false},
	{name: 'creating the bot user', match: {method: 'POST', path: '/le-users/users'}, keySaved: true},
	{name: 'the logins', match: {method: 'POST', path: '/login'}, keySaved: true},
	{name: 'provisioning (lpf\'s POST /proxy-settings)', match: {method: 'POST', path: '/proxy-settings'}, keySaved: true},
];

const faults: Array<{readonly name: string; readonly fault: Omit<Fault, 'match'>}> = [
	{name: 'a lasting 500', fault: {kind: 'status', status: 500}},
	{name: 'lasting connection resets', fault: {kind: 'reset'}},
	{name: 'malformed JSON', fault: {kind: 'malformed'}},
	{name: 'a 401', fault: {kind: 'status', status: 401}},
	{name: 'a lasting 429', fault: {kind: 'status', status: 429, retryAfter: 1}},
];

async function assertFilesWhole(configFile: string, credentialsFile: string) {
	JSON.parse(await readFile(configFile, 'utf8'));
	const credentials = await readFile(credentialsFile, 'utf8').catch(() => undefined);
	if (credentials !== undefined) {
		const values = JSON.parse(credentials) as Record<string, string>;
		assert.ok([0, 4].includes(Object.keys(values).length), 'the credentials file holds none or all four values');
		assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
	}
}

describe('the wizard under a lasting fault at each step', {concurrency: 4}, () => {
	for (const step of steps) {
		for (const {name, fault} of faults) {
			test(`${name} at ${step.name} ${step.keySaved ? 'keeps all four key values' : 'saves no key value'}, and a clean re-run matches a clean run`, {timeout: 60_000}, async t => {
				const expected = await cleanState(t);
				const {sandbox, run, configFile, credentialsFile, storedCount} = await world(t);
				sandbox.addFault({...fault, match: step.match});
				const first = await run().then(result => ({result}), (error: unknown) => ({error}));
				if ('error' in first) {
					assert.ok(first.error instanceof LpError, `an LpError, not ${String(first.error)}`);
					assert.ok(first.error.hint, 'with a hint');
				} else {
					assert.equal(first.result.ok, false, 'a faulted run does not report success');
				}

				await assertFilesWhole(configFile, credentialsFile);
				assert.equal(await storedCount(), step.keySaved ? 4 : 0);

				sandbox.clearFaults();
				const second = await run();
				assert.equal(second.ok, true);
				await assertFilesWhole(configFile, credentialsFile);
				assert.equal(await storedCount(), 4);
				assert.deepEqual(comparable(sandbox), expected);
			});
		}
	}

	test('a skewed server clock fails the signed proof with a clock hint and saves nothing', {timeout: 60_000}, async t => {
		const {sandbox, run, configFile, credentialsFile, storedCount} = await world(t);
		sandbox.setClockSkew(-10 * 60_000);
		await assert.rejects(run(), (error: unknown) => error instanceof LpError && error.exitCode === 4 && /clock/i.test(`${error.message} ${error.hint ?? ''}`));
		await assertFilesWhole(configFile, credentialsFile);
		assert.equal(await storedCount(), 0);
		sandbox.setClockSkew(0);
		assert.equal((await run()).ok, true);
		assert.equal(await storedCount(), 4);
	});
});
