import {readFile} from 'node:fs/promises';
import {ensurePrivateDirectory} from '../../source/config/directories.js';
import {startSandbox} from '../../source/sandbox/server.js';

type PersistedAccount = {
	accountId: string;
	users: Array<Record<string, unknown>>;
	apiKeys: Array<{appKey: string}>;
	featureActive: boolean;
	systemSecrets: Array<[string, unknown]>;
	allowlist: Array<{domain: string}>;
	infrastructureStartedAt: number | null;
	revision: number;
};

export type NormalizedAccount = {
	readonly accountId: string;
	readonly users: ReadonlyArray<Record<string, unknown>>;
	readonly appKeys: readonly string[];
	readonly featureActive: boolean;
	/** Names in stored order (a duplicate would show twice). */
	readonly systemSecrets: readonly string[];
	/** Domains in stored order (a duplicate would show twice). */
	readonly allowlist: readonly string[];
	readonly infrastructureStarted: boolean;
	readonly revision: number;
};

/**
The accounts in a sandbox `stateFile` (what `--sandbox` persists), without what differs between equal runs: timestamps,
user ids, allowlist entry ids, sessions, request counts. Sorted by account id. Undefined when the file does not exist yet.
*/
export async function readNormalizedSandboxState(stateFile: string): Promise<Record<string, NormalizedAccount> | undefined> {
	let text: string;
	try {
		text = await readFile(stateFile, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}

	const state = JSON.parse(text) as {accounts: PersistedAccount[]};
	const accounts = [...state.accounts].sort((a, b) => a.accountId.localeCompare(b.accountId));
	return Object.fromEntries(accounts.map(account => [account.accountId, {
		accountId: account.accountId,
		users: account.users
			.map(({id: _id, ...rest}) => rest)
			.sort((a, b) => String(a['loginName']).localeCompare(String(b['loginName']))),
		appKeys: account.apiKeys.map(({appKey}) => appKey),
		featureActive: account.featureActive,
		systemSecrets: account.systemSecrets.map(([name]) => name),
		allowlist: account.allowlist.map(({domain}) => domain),
		infrastructureStarted: account.infrastructureStartedAt !== null && account.infrastructureStartedAt !== undefined,
		revision: account.revision,
	} satisfies NormalizedAccount]));
}

/**
Does for each account what its admin does in the Functions UI (V1: agree to the terms of use; V2: start provisioning),
through the sandbox's stand-in page's form over HTTP, on the state file `--sandbox` runs share. This sandbox lets V2's
provisioning finish at once, so the page says "provisioned" before the next run starts.
*/
export async function acceptFunctionsUiPages(stateDir: string, accountIds: readonly string[]): Promise<void> {
	await ensurePrivateDirectory(stateDir);
	const sandbox = await startSandbox({stateFile: `${stateDir}/sandbox-state.json`, infrastructureMs: 0});
	try {
		for (const accountId of accountIds) {
			const page = await (await fetch(sandbox.functionsUiUrl(accountId), {method: 'POST', body: ''})).text();
			if (!page.includes('is provisioned')) {
				throw new Error(`The Functions UI page of ${accountId} did not say provisioned:\n${page}`);
			}
		}
	} finally {
		await sandbox.close();
	}
}
