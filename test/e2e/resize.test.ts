// Issue 9.4's terminal proof: resizing the terminal both ways while provisioning bars run leaves no stale or duplicated
// row, in the bars or after the summary, for a V1 and a V2 account. The built CLI in tmux, against the embedded sandbox.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {spinnerFrames} from '../../source/ui/format.js';
import {createTerminalWorld} from '../support/terminal-world.js';

// One finished bar per wait (issue 8): V1's activate and secrets share LivePerson's one wait, then the allowlist (the defaults
// are already listed on a first run, so it settles as skipped); V2's four tasks share its one wait.
const expectedBars = {
	V1: [/^✔ LivePerson activates Functions V1 \(after the terms of use\) +█+ +100% /, /^↷ Allowlist the 15 default domains +█+ +100% /],
	V2: [/^✔ LivePerson provisions Functions V2 \(up to 10 min\) +█+ +100% /],
} as const;

for (const [version, accountId] of [['V1', '12345678'], ['V2', '87654321']] as const) {
	test(`${version}: resizing 200 → 80 → 200 → 80 columns while the bars run leaves no stale row`, {timeout: 90_000}, async t => {
		const world = await createTerminalWorld(t, {bus: null, env: {LP_PASSWORD: 'sandbox-admin-pass'}});
		const terminal = await world.terminal(
			['--sandbox', '--demo', '--account', accountId, '--yes', '--username', 'admin', '--login-method', 'api-key', '--bot-name', 'lp-onboard-bot', '--insecure-storage'],
			{width: 200, height: 50},
		);
		await terminal.waitFor(/[░█]/, 60_000);
		for (const width of [80, 200, 80]) {
			await terminal.resize(width, 50, {settled: true});
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
		assert.equal(new Set(bars).size, bars.length, `a bar row is there twice:\n${history}`);
		assert.equal(bars.length, expectedBars[version].length, history);
		for (const [index, pattern] of expectedBars[version].entries()) {
			assert.match(bars[index]!, pattern, history);
		}
		assert.ok(lines.every(line => line.length <= 200));
	});
}
