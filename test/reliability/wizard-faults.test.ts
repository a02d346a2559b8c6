/*
Fault matrix, wizard side: a lasting fault at each step that talks to LivePerson after the account is known (the signed proof,
the bot user's creation and login, provisioning's allowlist). Whatever fails, the config file stays valid JSON, the secret store (the real
0600 file store here) holds either none or all four API key values, and a re-run without faults finishes in the same sandbox
state as a clean run.
*/
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {createConfigStore} from '../../source/config/config-store.js';
import {LpError} from '../../source/errors.js';
import {createLivePersonApi} from '../../source/liveperson/api.js';
import {provisionAccount} from '../../source/provisioning/provision.js';
import {startSandbox, type Fault, type Sandbox} from '../../source/sandbox/server.js';
import {createFileStore} from '../../source/secrets/file-store.js';
import {createPrompter} from '../../source/prompts/prompter-stack.js';
import {runWizard} from '../../source/wizard/run-wizard.js';
import {createRecordingUi} from '../wizard/helpers/recording-ui.js';
import {createScriptedPrompter} from '../wizard/helpers/scripted-prompter.js';
import {quickClock} from '../wizard/helpers/wizard-fixture.js';

const accountId = '12345678';

async function world(t: TestContext) {
	const sandbox = await startSandbox({infrastructureMs: 0});
	const api = createLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true, clock: quickClock, timeoutMs: 5000});
	const directory = await mkdtemp(join(tmpdir(), 'lp-reliability-wizard-'));
	t.after(async () => {
		await api.close();
		await sandbox.close();
		await rm(directory, {recursive: true, force: true});
	});
	const configFile = join(directory, 'config', 'config.json');
	const credentialsFile = join(directory, 'config', 'credentials.json');
	const config = createConfigStore(configFile);
	const secrets = createFileStore(credentialsFile);
	const key = sandbox.demo.accounts[accountId].apiKey;
	const admin = sandbox.demo.accounts[accountId].admin;
	const run = async () => {
		const prompts = createScriptedPrompter({
			'app-key': key.appKey,
			'app-secret': key.appSecret,
			'access-token': key.accessToken,
			'access-token-secret': key.accessTokenSecret,
			username: admin.loginName,
			password: admin.password,
		}, {mode: 'no-terminal'});
		const screen = createRecordingUi();
		return runWizard({
			prompter: createPrompter({answers: {'account-id': accountId, 'bot-login-name': 'fault-bot', 'login-method': 'api-key'}, env: {}, terminal: prompts.prompter}),
			ui: screen.ui,
			secrets,
			api,
			config,
			clock: quickClock,
			signal: new AbortController().signal,
			openUrl: async () => false,
			profile: 'default',
			interactive: false,
			provision: provisionAccount,
			stateDir: join(directory, 'state'),
			invocation: 'lp-onboard',
			// As --sandbox --yes: the sandbox's Functions UI page is accepted on the user's behalf.
			functionsUi: {url: id => sandbox.functionsUiUrl(id), accept: async id => sandbox.acceptFunctionsUi(id)},
		}, {yes: true, csdsUrl: sandbox.url});
	};

	const storedCount = async () => (await secrets.list()).length;
	return {sandbox, run, configFile, credentialsFile, storedCount};
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
				sandbox.addFault({...fault, match: step.match} as Fault);
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
