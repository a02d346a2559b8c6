import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {statfsSync} from 'node:fs';
import {
	mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {createInterface} from 'node:readline';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {EnvironmentError, exitCodes} from '../../source/errors.js';
import {createCliEnv, runCli, spawnCli} from '../support/cli.js';
import {readNormalizedSandboxState} from '../support/sandbox-state.js';
import {createDemoData} from '../../source/sandbox/seed.js';
import {type Sandbox, startSandbox} from '../../source/sandbox/server.js';
import {
	call, loginAs, newBot, oauthHeader, serviceHost, usersPath,
} from '../support/sandbox-client.js';

let directory: string;

before(async () => {
	directory = await mkdtemp(join(tmpdir(), 'lp-sandbox-'));
});

after(async () => {
	await rm(directory, {recursive: true, force: true});
});

test('keeps provisioning, users and sessions in the state file between runs', async () => {
	const stateFile = join(directory, 'nested', 'sandbox-state.json');
	const first = await startSandbox({stateFile});
	const {bearer, userId} = await loginAs(first, '12345678', 'admin', 'sandbox-admin-pass');
	const headers = {authorization: `Bearer ${bearer}`};
	let created;
	try {
		await first.acceptFunctionsUi('12345678');
		assert.equal((await call(first, `/api/account/12345678/proxy-settings?v=1&userId=${userId}`, {
			method: 'POST', headers, body: {timestamp: 0, domain: 'example.com', id: -1},
		})).status, 200);
		created = await call(first, `${usersPath('12345678')}?v=4.0`, {
			method: 'POST', headers, body: newBot('kept-bot', first.demo.accounts['12345678'].apiKey.appKey),
		});
		assert.equal(created.status, 201);
	} finally {
		await first.close();
	}

	assert.equal((await stat(stateFile)).mode & 0o777, 0o600);

	const second = await startSandbox({stateFile});
	try {
		const state = second.state('12345678');
		assert.equal(state.feature.active, true);
		assert.equal(state.allowlist.length, 16);
		assert.equal(state.allowlist.at(-1), 'example.com');
		assert.ok(state.users.some(user => user.loginName === 'kept-bot'));
		assert.equal((await call(second, `/api/account/12345678/lambdas?v=1&userId=${userId}`, {headers})).status, 200);
		const another = await call(second, `${usersPath('12345678')}?v=4.0`, {
			method: 'POST', headers, body: newBot('second-bot', second.demo.accounts['12345678'].apiKey.appKey),
		});
		assert.notEqual(another.json.id, created.json.id);
		assert.equal(second.state('87654321').feature.active, false);
	} finally {
		await second.close();
	}
});

test('starts from the seed when the state file is missing or not a sandbox state', async () => {
	const stateFile = join(directory, 'junk.json');
	await writeFile(stateFile, '{"not": "ours"}');
	const sandbox = await startSandbox({stateFile});
	try {
		assert.equal(sandbox.state('12345678').feature.active, false);
		assert.equal(sandbox.state('11223344').feature.active, true);
		assert.equal(await readFile(stateFile, 'utf8'), '{"not": "ours"}');
	} finally {
		await sandbox.close();
	}

	const missing = await startSandbox({stateFile: join(directory, 'missing.json')});
	await missing.close();
});

test('leaves expired sessions out of the file', async () => {
	const stateFile = join(directory, 'sessions', 'sandbox-state.json');
	let clock = Date.now();
	const sandbox = await startSandbox({stateFile, now: () => clock});
	try {
		await loginAs(sandbox, '87654321', 'admin', 'sandbox-admin-pass');
		clock += 28_800_000;
		const {bearer} = await loginAs(sandbox, '87654321', 'admin', 'sandbox-admin-pass');
		const {sessions} = JSON.parse(await readFile(stateFile, 'utf8')) as {sessions: Array<{bearer: string}>};
		assert.deepEqual(sessions.map(session => session.bearer), [bearer]);
	} finally {
		await sandbox.close();
	}
});

test('keeps used nonces across a restart', async () => {
	const stateFile = join(directory, 'nonces', 'sandbox-state.json');
	const path = `${usersPath('12345678')}?v=4.0`;
	const signedCall = async (sandbox: Sandbox) => {
		const host = serviceHost(sandbox, 'accountConfigReadOnly');
		const authorization = oauthHeader(sandbox.demo.accounts['12345678'].apiKey, {method: 'GET', url: `http://${host}${path}`, nonce: 'kept-across-restarts'});
		return call(sandbox, path, {host, headers: {authorization}});
	};

	const first = await startSandbox({stateFile});
	try {
		assert.equal((await signedCall(first)).status, 200);
	} finally {
		await first.close();
	}

	const second = await startSandbox({stateFile});
	try {
		const replay = await signedCall(second);
		assert.equal(replay.status, 401);
		assert.equal(new URLSearchParams(replay.text).get('oauth_problem'), 'nonce_used');
	} finally {
		await second.close();
	}
});

test('leaves no temp file behind when the state cannot be written, and fails the request without keeping its change', async () => {
	const stateFile = join(directory, 'blocked', 'sandbox-state.json');
	await mkdir(stateFile, {recursive: true}); // A directory where the file should be: the rename fails.
	const sandbox = await startSandbox({stateFile});
	try {
		const reply = await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
		assert.equal(reply.status, 500);
		assert.match(reply.json.error.message, /sandbox-state\.json is a directory/);
		assert.deepEqual(await readdir(dirname(stateFile)), ['sandbox-state.json', 'sandbox-state.json.sentinel-key.json']);
		assert.equal(sandbox.state('12345678').sessions, 0);
	} finally {
		await sandbox.close();
	}
});

test('leaves no temp file behind on a full disk (a tiny tmpfs) and keeps the last good state', async t => {
	const mountPoint = join(directory, 'tiny');
	await mkdir(mountPoint);
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
	if (mounted.status !== 0) {
		t.skip(`cannot mount a tmpfs here (${String(mounted.stderr).trim() || 'not root'}); the directory test above covers a failing write`);
		return;
	}

	try {
		const stateFile = join(mountPoint, 'sandbox-state.json');
		const sandbox = await startSandbox({stateFile});
		try {
			await loginAs(sandbox, '12345678', 'admin', 'sandbox-admin-pass');
			const saved = await readFile(stateFile, 'utf8');
			// Fill the disk, leaving less than the next state needs.
			const {bavail, bsize} = statfsSync(mountPoint);
			await writeFile(join(mountPoint, 'filler'), Buffer.alloc(Math.max(0, (Number(bavail) * Number(bsize)) - 512)));
			const reply = await call(sandbox, '/api/account/12345678/login?v=1.3', {method: 'POST', body: {username: 'admin', password: 'sandbox-admin-pass'}});
			assert.equal(reply.status, 500);
			assert.match(reply.json.error.message, /disk is full/);
			assert.deepEqual((await readdir(mountPoint)).sort(), ['filler', 'sandbox-state.json', 'sandbox-state.json.sentinel-key.json']);
			assert.equal(await readFile(stateFile, 'utf8'), saved);
			assert.equal(sandbox.state('12345678').sessions, 1);
		} finally {
			await sandbox.close();
		}
	} finally {
		spawnSync('umount', [mountPoint]);
	}
});

test('two sandboxes in two processes on one state file keep each other\'s changes', async () => {
	const stateFile = join(directory, 'shared', 'sandbox-state.json');
	const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/sandbox-process.ts', import.meta.url)), stateFile], {stdio: ['pipe', 'pipe', 'inherit']});
	try {
		const [line] = await once(createInterface({input: child.stdout}), 'line') as [string];
		const other = JSON.parse(line) as Pick<Sandbox, 'url' | 'port'>;
		const own = await startSandbox({stateFile});
		try {
			// A session made by one sandbox is good on the other (404 "not provisioned", not 401); the Functions UI page's form
			// accepted on one provisions the account on both.
			const {bearer, userId} = await loginAs(other as Sandbox, '12345678', 'admin', 'sandbox-admin-pass');
			const headers = {authorization: `Bearer ${bearer}`};
			const lambdas = async (target: Pick<Sandbox, 'url'>) => (await call(target, `/api/account/12345678/lambdas?v=1&userId=${userId}`, {headers})).status;
			assert.equal(await lambdas(own), 404);
			assert.equal((await fetch(own.functionsUiUrl('12345678'), {method: 'POST', body: ''})).status, 200);

			// Interleaved writes from both: without a merge under a lock, the last rename would drop the other's users.
			const appKey = own.demo.accounts['12345678'].apiKey.appKey;
			const create = async (target: Pick<Sandbox, 'url'>, name: string) => call(target, `${usersPath('12345678')}?v=4.0`, {method: 'POST', headers, body: newBot(name, appKey)});
			const replies = await Promise.all(Array.from({length: 12}, async (_, index) => create(index % 2 === 0 ? own : other, `shared-bot-${index}`)));
			assert.deepEqual(replies.map(({status}) => status), Array.from({length: 12}, () => 201));
			assert.equal(new Set(replies.map(({json}) => json.id as string)).size, 12);

			const names = (users: Array<{loginName: string}>) => users.map(({loginName}) => loginName).filter(name => name.startsWith('shared-bot-')).sort();
			const expected = Array.from({length: 12}, (_, index) => `shared-bot-${index}`).sort();
			for (const target of [own, other]) {
				const listed = await call(target, `${usersPath('12345678')}?v=4.0`, {headers});
				assert.deepEqual(names(listed.json), expected);
				assert.equal(await lambdas(target), 200);
			}

			const file = JSON.parse(await readFile(stateFile, 'utf8')) as {accounts: Array<{accountId: string; users: Array<{loginName: string}>}>};
			assert.deepEqual(names(file.accounts.find(({accountId}) => accountId === '12345678')!.users), expected);
			assert.equal(own.state('12345678').feature.active, true);
			assert.deepEqual((await readdir(dirname(stateFile))).sort(), ['sandbox-state.json', 'sandbox-state.json.sentinel-key.json']);
		} finally {
			await own.close();
		}
	} finally {
		child.stdin.end();
		await once(child, 'exit');
	}
});

test('on a port in use, says which port and what to do (exit code 9)', async () => {
	const first = await startSandbox();
	try {
		await assert.rejects(startSandbox({port: first.port}), (error: unknown) => {
			assert.ok(error instanceof EnvironmentError);
			assert.equal(error.exitCode, exitCodes.environment);
			assert.match(error.message, new RegExp(`Port ${first.port} is in use`));
			assert.match(error.hint ?? '', /--port/);
			return true;
		});
	} finally {
		await first.close();
	}
});

test('`lp-onboard sandbox` sees what a `--sandbox` provision run beside it did, and keeps its own changes', async t => {
	const dirs = await createCliEnv(t, 'lp-sandbox-share-');
	const env = {...dirs.env, CI: 'true'};
	const standalone = spawnCli(['sandbox', '--port', '0'], {env});
	try {
		const url = (await standalone.waitForOutput(/listening on (http\S+)/))[1]!;
		const served = {url, port: Number(new URL(url).port)} as Sandbox;
		const {bearer, userId} = await loginAs(served, '12345678', 'admin', 'sandbox-admin-pass');
		const headers = {authorization: `Bearer ${bearer}`};
		// lpf's V1 list call answers once the account is provisioned (404 "not provisioned" before).
		const provisioned = async () => (await call(served, `/api/account/12345678/lambdas?v=1&userId=${userId}`, {headers})).status === 200;
		assert.equal(await provisioned(), false);

		const provision = await runCli(['provision', '--sandbox', '--account', '12345678', '--username', 'admin', '--yes', '--timeout', '5'], {
			env: {...env, LP_PASSWORD: 'sandbox-admin-pass'}, timeoutMs: 60_000,
		});
		assert.equal(provision.code, 0, provision.stderr);
		assert.equal(await provisioned(), true);

		const {appKey} = createDemoData().accounts['12345678'].apiKey;
		assert.equal((await call(served, `${usersPath('12345678')}?v=4.0`, {method: 'POST', headers, body: newBot('standalone-bot', appKey)})).status, 201);
		const saved = await readNormalizedSandboxState(join(dirs.stateDir, 'sandbox-state.json'));
		assert.equal(saved?.['12345678']?.featureActive, true);
		assert.ok(saved?.['12345678']?.users.some(user => user['loginName'] === 'standalone-bot'));
		assert.ok((saved?.['12345678']?.allowlist.length ?? 0) > 0);
	} finally {
		await standalone.stop();
	}
});
