// Issue 16.3 in a real terminal (tmux) at 80 and 200 columns: V2's provisioning is one wait with its tasks listed under it,
// the reason for the wait is on screen while it runs, and the run ends with a short report that does not repeat the bars.
// Build first (`npm run build`).
import assert from 'node:assert/strict';
import {resolve} from 'node:path';
import {test} from 'node:test';
import {columns} from '../../source/ui/text.js';
import {cliPath, createCliEnv} from '../support/cli.js';
import {openTerminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');
const titles = ['Activate the Functions feature', 'Provision and configure the infrastructure', 'Create the default secret', 'Store the default secret in the secret store'];

for (const width of [80, 200] as const) {
	test(`provision V2 at ${width} columns: one wait with its reason, its tasks under it, then a report of readable lines`, {timeout: 90_000}, async t => {
		const dirs = await createCliEnv(t);
		const env = {...dirs.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LP_USERNAME: 'admin', LP_PASSWORD: 'sandbox-admin-pass'};
		const terminal = await openTerminal(['node', cliPath, 'provision', '--sandbox', '--yes', '--account', '87654321'], {env, cwd: root, width, height: 40});
		t.after(async () => terminal.close());
		// While it waits, the screen says for what and against which budget.
		const live = await terminal.waitFor(/LivePerson finishes the provisioning · \d+ of 10 min/, 30_000);
		assert.match(live, /LivePerson provisions Functions V2/);
		assert.equal(await terminal.exited(60_000), 0, await terminal.history());
		const history = await terminal.history();
		const lines = history.split('\n');
		assert.equal(lines.filter(line => /[█░]/.test(line)).length, 1, `one bar for the wait:\n${history}`);
		for (const title of titles) {
			assert.ok(lines.some(line => /^ {2}✔ /.test(line) && line.includes(title)), `${title} is not listed under the wait:\n${history}`);
		}

		const at = history.indexOf('✔ LivePerson Functions V2 on 87654321 is provisioned');
		assert.notEqual(at, -1, history);
		const report = history.slice(at);
		assert.match(report, /4 done/);
		for (const title of titles) {
			assert.ok(!report.includes(title), `the report repeats the bars:\n${report}`);
		}

		assert.doesNotMatch(history, /^Task +Result/m);
		assert.ok(lines.every(line => columns(line) <= width));
	});
}
