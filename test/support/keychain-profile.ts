import assert from 'node:assert/strict';
import {createCliEnv, runCli, type TempDirs} from './cli.js';
import {startPrivateKeyring, type PrivateKeyring} from './keyring.js';

/**
A profile `p` set up by the wizard against the sandbox (`--demo`, no provisioning), its OAuth 2.0 client and the cached
Sentinel token in a private keyring of its own; the keyring and the directories go after the test.
*/
export async function keychainProfile(t: {after(fn: () => Promise<void>): void}): Promise<{dirs: TempDirs; keyring: PrivateKeyring; env: Record<string, string>}> {
	const keyring = await startPrivateKeyring();
	t.after(async () => keyring.close());
	const dirs = await createCliEnv(t);
	const env = {...dirs.env, ...keyring.bus, CI: 'true'};
	const wizard = await runCli(['--sandbox', '--demo', '--skip-provisioning', '--profile', 'p'], {env, timeoutMs: 60_000});
	assert.equal(wizard.code, 0, wizard.stderr);
	const config = await dirs.readJson(`${dirs.sandboxConfigDir}/config.json`) as {profiles: Record<string, {keychainItems?: string[]; storage?: string}>};
	assert.deepEqual(config.profiles['p']?.keychainItems, ['12345678/clientId', '12345678/clientSecret', '12345678/oauth2Token']);
	return {dirs, keyring, env};
}
