import assert from 'node:assert/strict';
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {parseAccountId, preview} from '../../source/account-id.js';
import {invocationOf} from '../../source/cli/invocation.js';
import {openUrl} from '../../source/system/open-url.js';
import {pollUntil} from '../support/cli.js';

test('the browser opener runs with an allowlisted environment: no LP_* secret reaches it', async t => {
	const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-open-'));
	t.after(async () => rm(directory, {recursive: true, force: true}));
	const dump = join(directory, 'env.txt');
	// A stand-in for xdg-open that records the environment it was given.
	await writeFile(join(directory, 'xdg-open'), `#!/bin/sh\nenv > "${dump}"\n`);
	await chmod(join(directory, 'xdg-open'), 0o755);
	const opened = await openUrl('https://developers.liveperson.com/', {
		platform: 'linux',
		env: {PATH: `${directory}:/usr/bin:/bin`, DISPLAY: ':0', HOME: directory, LP_APP_SECRET: 'app-secret-value', LP_ACCESS_TOKEN_SECRET: 'token-secret-value', LP_PASSWORD: 'password-value', AWS_SECRET_ACCESS_KEY: 'other'},
	});
	assert.equal(opened, true);
	await pollUntil(async () => (await readFile(dump, 'utf8').catch(() => '')).includes('DISPLAY'), 'the opener to run', 5000);
	const seen = await readFile(dump, 'utf8');
	assert.match(seen, /^DISPLAY=:0$/m);
	assert.doesNotMatch(seen, /secret-value|password-value|LP_|AWS_/);
});

test('without a display nothing is spawned', async () => {
	assert.equal(await openUrl('https://example.test/', {platform: 'linux', env: {PATH: '/nonexistent'}}), false);
});

test('a rejected account id is never echoed beyond a short preview (a key pasted in the wrong place)', () => {
	const key = '0123456789abcdef0123456789abcdef';
	assert.throws(() => parseAccountId(key, '--account'), (error: Error) => !error.message.includes(key) && error.message.includes('0123…(32 characters)'));
	assert.equal(preview('short one'), 'short one');
	assert.equal(preview('a\u001B[31mb'), 'a?[31mb');
	assert.equal(parseAccountId('12345678', '--account'), '12345678');
});

test('next steps name the invocation the user ran', () => {
	assert.equal(invocationOf({script: '/usr/local/bin/lp-onboard', cwd: '/x', env: {}}), 'lp-onboard');
	assert.equal(invocationOf({script: '/repo/dist/cli.js', cwd: '/repo', env: {}}), 'node dist/cli.js');
	assert.equal(invocationOf({script: '/repo/dist/cli.js', cwd: '/elsewhere', env: {}}), 'node /repo/dist/cli.js');
	assert.equal(invocationOf({script: '/my repo/dist/cli.js', cwd: '/tmp', env: {}}), 'node \'/my repo/dist/cli.js\'');
	assert.equal(invocationOf({script: '/cache/_npx/1/node_modules/.bin/lp-onboard', cwd: '/x', env: {npm_command: 'exec'}}), 'npx lp-onboard');
});
