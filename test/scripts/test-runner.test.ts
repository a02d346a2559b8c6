// The suite's own runner: under CI=true a run whose keychain tests skipped must not end green.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = 'test/fixtures/skipped-keychain.test.ts';

async function run(file: string, args: string[], env: Record<string, string>): Promise<{code: number; output: string}> {
	return new Promise(resolve => {
		execFile(file, args, {cwd: root, env: {PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env}}, (error, stdout, stderr) => {
			resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, output: stdout + stderr});
		});
	});
}

test('scripts/test.js fails under CI=true when a keychain test skipped, and says so', async () => {
	const ci = await run(process.execPath, ['scripts/test.js', fixture], {CI: 'true'});
	assert.equal(ci.code, 1, ci.output);
	assert.match(ci.output, /CI=true: 1 keychain tests skipped \(a keychain test/);
	assert.match(ci.output, /1 passed, 0 failed, 1 keychain tests skipped/);
});

test('scripts/test.js passes the same run outside CI (a developer without a keyring)', async () => {
	const local = await run(process.execPath, ['scripts/test.js', fixture], {});
	assert.equal(local.code, 0, local.output);
	assert.match(local.output, /1 passed, 0 failed$/m);
});

test('scripts/with-keyring.sh refuses to run without gnome-keyring under CI=true, and runs the command outside CI', async () => {
	// PATH without dbus-run-session and gnome-keyring-daemon.
	const ci = await run('/bin/sh', ['scripts/with-keyring.sh', '/bin/true'], {PATH: '/nonexistent', CI: 'true'});
	assert.equal(ci.code, 1, ci.output);
	assert.match(ci.output, /CI=true: install dbus and gnome-keyring/);
	const local = await run('/bin/sh', ['scripts/with-keyring.sh', '/bin/true'], {PATH: '/nonexistent'});
	assert.equal(local.code, 0, local.output);
	assert.match(local.output, /keychain tests skip/);
});
