// Issue 9.4's terminal proof: resizing the terminal both ways while provisioning bars run leaves no stale or duplicated
// row, in the bars or after the summary, for a V1 and a V2 account. The built CLI in tmux, against the embedded sandbox.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {spinnerFrames} from '../../source/ui/format.js';
import {openTerminal} from '../helpers/tmux.js';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli.js');

for (const [version, accountId] of [['V1', '12345678'], ['V2', '87654321']] as const) {
	test(`${version}: resizing 200 → 80 → 200 → 80 columns while the bars run leaves no stale row`, {timeout: 90_000}, async t => {
		const directory = await mkdtemp(join(tmpdir(), 'lp-onboard-resize-'));
		const env: Record<string, string> = {
			PATH: process.env['PATH'] ?? '/usr/bin:/bin',
			TERM: 'xterm-256color',
			LANG: 'C.UTF-8',
			HOME: directory,
			XDG_CONFIG_HOME: join(directory, 'config'),
			XDG_STATE_HOME: join(directory, 'state'),
			XDG_DATA_HOME: join(directory, 'data'),
			LP_PASSWORD: 'sandbox-admin-pass',
		};
		const terminal = await openTerminal(
			['node', cli, '--sandbox', '--demo', '--account', accountId, '--yes', '--username', 'admin', '--login-method', 'api-key', '--bot-name', 'lp-onboard-bot', '--insecure-storage'],
			{env, cwd: root, width: 200, height: 50},
		);
		t.after(async () => {
			await terminal.close();
			await rm(directory, {recursive: true, force: true});
		});
		await terminal.waitFor(/[░█]/, 60_000);
		for (const width of [80, 200, 80]) {
			// eslint-disable-next-line no-await-in-loop
			await terminal.resize(width, 50, {settled: true});
			// eslint-disable-next-line no-await-in-loop
			await delay(400);
		}

		assert.equal(await terminal.exited(60_000), 0, await terminal.history());
		const history = await terminal.history();
		assert.match(history, /You are set up/);
		const lines = history.split('\n');
		// A stale live row still has its spinner; every finished row has its outcome symbol.
		const stale = lines.filter(line => spinnerFrames.some(frame => line.includes(frame)));
		assert.deepEqual(stale, [], history);
		// Every task's finished bar row is there once.
		const bars = lines.filter(line => /^[✔↷✖] .*[░█]/.test(line));
		assert.ok(bars.length >= 3, history);
		assert.equal(new Set(bars).size, bars.length, `a bar row is there twice:\n${history}`);
		assert.ok(lines.every(line => line.length <= 200));
	});
}
