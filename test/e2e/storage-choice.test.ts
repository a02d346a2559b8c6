// The "where should the credentials go" question without a keychain, in a narrow real terminal (tmux): choice names and their
// descriptions break between words, never inside a name or a path. Build first (`npm run build`).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTerminalWorld} from '../support/terminal-world.js';

test('at 72 columns the storage choices and their descriptions keep every word whole', {timeout: 60_000}, async t => {
	// No session bus: no keychain, so the wizard asks where the credentials should go.
	const world = await createTerminalWorld(t, {bus: ''});
	const terminal = await world.terminal(['--sandbox', '--skip-provisioning', '--profile', world.profile], {width: 72, height: 40});
	await terminal.waitFor(/\? Use the demo account 12345678 and its credentials\?/);
	await terminal.press('Enter');
	// On the sandbox the file is the default: its client is a demo value, and stored it lets the next steps run as pasted.
	const file = await terminal.waitFor(/\? Where should the credentials go\?[\s\S]*❯ A file only I can read/);
	const path = `${world.dirs.sandboxConfigDir}/credentials.json`;
	assert.ok(path.length <= 62, path);
	assert.ok(file.split('\n').some(line => line.includes(path)), `the path is split:\n${file}`);
	assert.ok(file.split('\n').every(line => line.length <= 72), file);
	await terminal.press('Up');
	const nowhere = await terminal.waitFor(/❯ Nowhere: I will set the values myself[\s\S]*LP_ACCESS_TOKEN_SECRET/);
	// The OAuth 2.0 client's variables first (the default), the legacy key's after; every name whole on one row.
	for (const name of ['LP_CLIENT_ID', 'LP_CLIENT_SECRET', 'LP_APP_KEY', 'LP_APP_SECRET', 'LP_ACCESS_TOKEN', 'LP_ACCESS_TOKEN_SECRET']) {
		assert.match(nowhere, new RegExp(`(^|[ (,])${name}([ ),.]|$)`, 'm'), `${name} is split:\n${nowhere}`);
	}

	const description = nowhere.slice(nowhere.lastIndexOf('Cancel, I will set up a keychain first'));
	assert.ok(description.indexOf('LP_CLIENT_ID') !== -1 && description.indexOf('LP_CLIENT_ID') < description.indexOf('LP_APP_KEY'), nowhere);
	assert.ok(nowhere.split('\n').every(line => line.length <= 72), nowhere);
});
