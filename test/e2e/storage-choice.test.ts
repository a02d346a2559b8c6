// The "where should the key go" question without a keychain, in a narrow real terminal (tmux): choice names and their
// descriptions break between words, never inside a name or a path. Build first (`npm run build`).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTerminalWorld} from '../support/terminal-world.js';

test('at 72 columns the storage choices and their descriptions keep every word whole', {timeout: 60_000}, async t => {
	// No session bus: no keychain, so the wizard asks where the key should go.
	const world = await createTerminalWorld(t, {bus: ''});
	const terminal = await world.terminal(['--sandbox', '--skip-provisioning', '--profile', world.profile], {width: 72, height: 40});
	await terminal.waitFor(/\? Use the demo account 12345678 and its API key\?/);
	await terminal.press('Enter');
	// On the sandbox the file is the default: its key is a demo value, and stored it lets the next steps run as pasted.
	const file = await terminal.waitFor(/\? Where should the API key values go\?[\s\S]*❯ A file only I can read/);
	const path = `${world.dirs.sandboxConfigDir}/credentials.json`;
	assert.ok(path.length <= 62, path);
	assert.ok(file.split('\n').some(line => line.includes(path)), `the path is split:\n${file}`);
	assert.ok(file.split('\n').every(line => line.length <= 72), file);
	await terminal.press('Up');
	const nowhere = await terminal.waitFor(/❯ Nowhere: I will set the values myself[\s\S]*LP_APP_KEY/);
	assert.match(nowhere, /LP_ACCESS_TOKEN_SECRET/, nowhere);
	assert.ok(nowhere.split('\n').every(line => line.length <= 72), nowhere);
});
