// Issue 3's end-to-end proof: the built CLI in a real terminal (tmux), against the embedded sandbox, with the real
// keychain (the throwaway gnome-keyring that scripts/with-keyring.sh starts on a private D-Bus session bus).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {startSandbox} from '../../source/sandbox/server.js';
import type {OAuth2Client} from '../../source/liveperson/credentials.js';
import {createTerminalWorld, keychainSkip} from '../support/terminal-world.js';

const exec = promisify(execFile);
const accountId = '12345678';
const fields = ['clientId', 'clientSecret'] as const;
const skip = keychainSkip;

/** The sandbox's demo OAuth 2.0 client of account 12345678: constants of the seed, read from a sandbox of our own. */
async function demoKey(): Promise<OAuth2Client> {
	const sandbox = await startSandbox({port: 0});
	try {
		const {clientId, clientSecret} = sandbox.demo.accounts[accountId].client;
		return {clientId, clientSecret};
	} finally {
		await sandbox.close();
	}
}

/** A terminal world that also reads this profile's keychain items with secret-tool (not with keytar). */
async function createWorld(t: {after(fn: () => Promise<void>): void}) {
	const world = await createTerminalWorld(t);
	return {
		...world,
		async lookup(name: string): Promise<string | undefined> {
			try {
				const {stdout} = await exec('secret-tool', ['lookup', 'service', 'lp-onboard-sandbox', 'account', `${world.profile}/${accountId}/${name}`], {env: world.env});
				return stdout;
			} catch (error) {
				// secret-tool exits 1 when there is no such item.
				if ((error as {code?: number}).code === 1) {
					return undefined;
				}

				throw error;
			}
		},
	};
}

/** The screen from its last line matching `marker` on (the demo banner printed at start-up lists the key on purpose). */
function after(screen: string, marker: string): string {
	const index = screen.lastIndexOf(marker);
	return index === -1 ? screen : screen.slice(index);
}

/** The client secret never shows; the client id is no secret (it shows in the console's list), so it may. */
function assertNoSecret(screen: string, key: OAuth2Client, where: string) {
	for (const field of ['clientSecret'] as const) {
		assert.equal(screen.includes(key[field]), false, `${where}: the ${field} is on screen in clear:\n${screen}`);
		// Not even a long piece of it (a redacted preview keeps only the first 4 characters).
		assert.equal(screen.includes(key[field].slice(4, 16)), false, `${where}: part of the ${field} is on screen:\n${screen}`);
	}
}

/** The line holding the open prompt with this label. */
function promptLine(screen: string, label: string): string {
	return screen.split('\n').findLast(line => line.includes(label)) ?? '';
}

test('a newcomer goes from nothing to a signed call in a real terminal, with the key only in the keychain, and can log out', {skip, timeout: 120_000}, async t => {
	const key = await demoKey();
	const world = await createWorld(t);
	const {profile} = world;

	await t.test('the first run asks for the account, the key (hidden) and the admin login, and reaches the summary', async () => {
		const terminal = await world.terminal(['--sandbox', '--profile', profile]);
		await terminal.waitFor('Use the demo account 12345678 and its credentials?');
		await terminal.type('n', 'Enter');

		await terminal.waitFor(/\? LivePerson account id/);
		await terminal.type(accountId, 'Enter');
		// The domains table, then the credentials step: OAuth 2.0 client credentials are the first choice.
		let screen = await terminal.waitFor(/\? Which credentials should lp-onboard use\?/);
		assert.match(screen, /accountConfigReadOnly +va\.accountconfigreadonly\.sandbox\.test:\d+/);
		assert.match(screen, /agentVep +va\.agentvep\.sandbox\.test:\d+/);
		assert.match(screen, /Step 3 of 6 · Credentials/);
		assert.match(screen, /❯ OAuth 2\.0 client credentials \(recommended\)/);
		assert.match(screen, /An OAuth 1\.0 API key \(legacy, end of life 2026-05-31\)/);
		await terminal.press('Enter');

		// The client id is no secret: it shows as typed.
		await terminal.waitFor(/\? Client id \(< to go back\)/);
		await terminal.type(key.clientId);
		screen = await terminal.waitFor(key.clientId);
		assert.match(promptLine(screen, '? Client id'), new RegExp(`^\\? Client id \\(< to go back\\) ${key.clientId}$`));
		await terminal.press('Enter');
		// Typed but not yet submitted: the prompt shows that input is hidden, and nothing of it (not its length).
		await terminal.waitFor(/\? Client secret\b.*$/m);
		await terminal.type(key.clientSecret);
		screen = await terminal.waitFor(/\? Client secret \[hidden as you type\]$/m);
		assert.match(promptLine(screen, '? Client secret'), /^\? Client secret \[hidden as you type\]$/);
		assertNoSecret(after(screen, 'Step 3 of 6'), key, 'while typing the client secret');
		await terminal.press('Enter');

		screen = await terminal.waitFor(/\? How should lp-onboard log in to LivePerson\?/);
		assert.match(screen, /✔ Getting a token from Sentinel and proving it \(Users API\)/);
		assert.match(screen, /Calls send: Authorization: Bearer /);
		assert.match(screen, /Saved the client id and secret in the OS keychain\./);
		// Answered: the secret's label alone, nothing of the value, not even its length.
		assert.match(screen, /✔ Client secret$/m);
		assertNoSecret(after(screen, 'Step 3 of 6'), key, 'after the credentials step');
		// The login with the credentials is the first choice.
		assert.match(screen, /❯ As a bot user, with these credentials \(recommended\)/);
		await terminal.press('Enter');
		await terminal.waitFor(/\? Login name of the bot user \(lp-onboard-bot\)/);
		await terminal.press('Enter');
		await terminal.waitFor(/\? Provision LivePerson Functions \(V1\) on account 12345678 now\? \(Y\/n\)/, 30_000);
		await terminal.type('y', 'Enter');
		// The sandbox's demo admin is offered with one key; typing another admin login is the other way.
		await terminal.waitFor(/\? Use the sandbox's demo admin login \(admin\)\? \(Y\/n\)/);
		await terminal.type('n', 'Enter');
		await terminal.waitFor(/\? Administrator username/);
		await terminal.type('admin', 'Enter');
		await terminal.waitFor(/\? Password of admin/);
		await terminal.type('sandbox-admin-pass');
		screen = await terminal.waitFor(/\? Password of admin \[hidden as you type\]$/m);
		assert.equal(after(screen, 'Step 5 of 6').includes('sandbox-admin-pass'), false, 'the admin password is on screen');
		await terminal.press('Enter');
		// The Functions UI step: the sandbox's page stands in for it, accepted with one key.
		screen = await terminal.waitFor(/\? The sandbox serves a stand-in for the Functions UI/, 30_000);
		assert.match(screen, /https:\/\/faas\.liveperson\.net\/|sandbox\/functions-ui\/12345678/);
		assert.match(screen, /❯ Accept on my behalf/);
		await terminal.press('Enter');

		screen = await terminal.waitFor('You are set up.', 60_000);
		assert.equal(await terminal.exited(), 0);
		screen = await terminal.screen();
		assert.match(screen, /✔ Activate the Functions feature/);
		assert.match(screen, /Credentials: +OAuth 2\.0 client credentials, working, kept in the OS keychain$/m);
		assert.match(screen, /Login: +lp-onboard-bot with the credentials \(bot user\) \(created now\)/);
		assert.match(screen, /Functions: +provisioned/);
		assertNoSecret(after(screen, 'Step 4 of 6'), key, 'at the summary');
	});

	await t.test('the keychain holds exactly the client id and secret that were typed', async () => {
		for (const field of fields) {
			assert.equal(await world.lookup(field), key[field], `keychain item ${profile}/${accountId}/${field}`);
		}

		// Beside them, the Sentinel token the proof got, cached for this client (an access token is a secret too).
		const token = JSON.parse(await world.lookup('oauth2Token') ?? '{}') as {clientId?: string; accessToken?: string; expiresAt?: number};
		assert.equal(token.clientId, key.clientId);
		assert.match(token.accessToken ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
		assert.ok((token.expiresAt ?? 0) > Date.now(), 'the cached token has expired');

		// The admin password was for that run only.
		assert.equal(await world.lookup('password'), undefined);
	});

	await t.test('status --json reads every credential from the keychain, and the signed call works', async () => {
		const {code, stdout, stderr} = await world.run(['status', '--json', '--sandbox', '--profile', profile]);
		assert.equal(code, 0, stderr);
		const report = JSON.parse(stdout) as {accountId: string; botLoginName: string; credentials: Record<string, {source: string; preview: string}>; signedCallWorks: boolean};
		assert.equal(report.accountId, accountId);
		assert.equal(report.botLoginName, 'lp-onboard-bot');
		for (const field of fields) {
			assert.equal(report.credentials[field]?.source, 'keychain', field);
		}

		assert.equal(report.signedCallWorks, true);
		assertNoSecret(stdout + stderr, key, 'status');
	});

	await t.test('a re-run in the terminal asks nothing it knows: every step is already done, and it reaches the summary', async () => {
		// No keystroke is sent: a single question would leave it waiting until the timeout.
		const terminal = await world.terminal(['--sandbox', '--profile', profile], {width: 140, height: 100});
		assert.equal(await terminal.exited(60_000), 0);
		const screen = await terminal.screen();
		assert.match(screen, /✔ Step 1 of 6 · LivePerson account · account 12345678 \(it still resolves in CSDS\)\./);
		assert.match(screen, /✔ Step 3 of 6 · Credentials · the OAuth 2\.0 client credentials \(client id c3a1…\(36\)\) in the OS keychain works\./);
		assert.match(screen, /✔ Step 4 of 6 · Bot user · lp-onboard-bot logs in with the credentials \(bot user\)\./);
		assert.match(screen, /✔ Step 5 of 6 · LivePerson Functions · LivePerson Functions is provisioned\./);
		assert.match(screen, /You are set up\./);
		assert.match(screen, /Credentials: +OAuth 2\.0 client credentials, working, kept in the OS keychain \(earlier run\)/);
		assert.doesNotMatch(screen, /^[?✔] .*(account id|Which credentials|Client id|Client secret|App key|How should|Login name|Provision LivePerson|Administrator)/m);
		assertNoSecret(after(screen, 'Step 1 of 6'), key, 're-run');
	});

	await t.test('logout removes the keychain items and names each one it removed', async () => {
		const {code, stdout, stderr} = await world.run(['logout', '--sandbox', '--profile', profile]);
		assert.equal(code, 0, stderr);
		assert.match(stdout, new RegExp(`^Removed for profile ${profile}:$`, 'm'));
		for (const field of fields) {
			assert.match(stdout, new RegExp(`^ +${profile}/${accountId}/${field}$`, 'm'));
			assert.equal(await world.lookup(field), undefined, `${field} is still in the keychain`);
		}

		// The cached Sentinel token goes with them.
		assert.match(stdout, new RegExp(`^ +${profile}/${accountId}/oauth2Token$`, 'm'));
		assert.equal(await world.lookup('oauth2Token'), undefined, 'the cached token is still in the keychain');
		assertNoSecret(stdout, key, 'logout');
	});
});

test('Ctrl-C at a prompt of a first run exits 130 with one "Cancelled" line, no stack trace, and nothing half-written', {skip, timeout: 60_000}, async t => {
	const key = await demoKey();
	const world = await createWorld(t);
	const terminal = await world.terminal(['--sandbox', '--profile', world.profile]);
	await terminal.waitFor('Use the demo account 12345678 and its credentials?');
	await terminal.type('n', 'Enter');
	await terminal.waitFor(/\? LivePerson account id/);
	await terminal.type(accountId, 'Enter');
	await terminal.waitFor(/\? Which credentials should lp-onboard use\?/);
	await terminal.press('Enter');
	await terminal.waitFor(/\? Client id/);
	await terminal.type(key.clientId, 'Enter');
	await terminal.waitFor(/\? Client secret/);
	// Half of the client secret typed, then Ctrl-C.
	await terminal.type(key.clientSecret.slice(0, 16));
	await terminal.waitFor(/\? Client secret.* \[hidden as you type\]$/m);
	await terminal.press('C-c');

	assert.equal(await terminal.exited(), 130);
	const screen = await terminal.screen();
	const tail = after(screen, 'Client secret').split('\n').slice(1);
	assert.deepEqual(tail, ['✖ Cancelled.', '  Run the same command again to continue where it stopped.', '[exit 130]']);
	assert.equal(screen.split('\n').filter(line => line.includes('Cancelled')).length, 1);
	assert.doesNotMatch(screen, /^\s+at |Error:|node:internal/m);

	// The config file is whole (the account step had finished), and no key item was written.
	const config = JSON.parse(await readFile(join(world.dirs.sandboxConfigDir, 'config.json'), 'utf8')) as {profiles: Record<string, {accountId?: string; completedSteps?: string[]}>};
	assert.equal(config.profiles[world.profile]?.accountId, accountId);
	const completed = config.profiles[world.profile]?.completedSteps ?? [];
	assert.ok(completed.includes('account'), `completed steps: ${completed.join(', ')}`);
	assert.equal(completed.includes('api-key'), false, 'the key step was marked done');
	for (const field of fields) {
		assert.equal(await world.lookup(field), undefined, `${field} was written`);
	}
});
