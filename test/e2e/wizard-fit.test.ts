// Issue 9.4's "done when": the README's first command, run as a newcomer would (Enter at every question, the demo admin
// login when asked) in tmux at 80 and at 200 columns, reaches the summary with no row the terminal had to wrap and no
// stale row.
import assert from 'node:assert/strict';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {spinnerFrames} from '../../source/ui/format.js';
import {createCliEnv} from '../support/cli.js';
import {openTerminal, type Terminal} from '../support/tmux.js';

const root = resolve(import.meta.dirname, '../..');

/** Answers like the README says: Enter for every default, the demo admin login when asked. */
async function answerUntilExit(terminal: Terminal): Promise<number> {
	let answered = '';
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		const screen = await terminal.screen();
		const exit = /\[exit (\d+)]/.exec(screen);
		if (exit) {
			return Number(exit[1]);
		}

		const question = screen.split('\n').findLast(line => line.startsWith('? '));
		if (question && question !== answered) {
			answered = question;
			if (/Administrator username/.test(question) && !/\(admin\)/.test(question)) {
				await terminal.type('admin');
			} else if (/Password/.test(question)) {
				await terminal.type('sandbox-admin-pass');
			}

			await terminal.press('Enter');
		}

		await delay(100);
	}

	throw new Error(`no end within 90 s:\n${await terminal.history()}`);
}

for (const width of [80, 200] as const) {
	test(`at ${width} columns the wizard reaches the summary with no wrapped and no stale row`, {timeout: 120_000}, async t => {
		const dirs = await createCliEnv(t);
		const env: Record<string, string> = {...dirs.env, PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8'};
		delete env['CI'];
		const terminal = await openTerminal(['node', join(root, 'dist/cli.js'), '--sandbox', '--insecure-storage'], {env, cwd: root, width, height: 50});
		t.after(async () => terminal.close());
		assert.equal(await answerUntilExit(terminal), 0, await terminal.history());
		const history = await terminal.history();
		assert.match(history, /You are set up\./);
		// tmux joins the rows it wrapped itself (-J): the same count means the terminal never had to wrap a row.
		const rows = history.split('\n');
		const joined = (await terminal.history({joined: true})).split('\n');
		assert.deepEqual(joined.filter(line => !rows.includes(line)), [], history);
		assert.equal(joined.length, rows.length, history);
		assert.deepEqual(rows.filter(line => spinnerFrames.some(frame => line.includes(frame))), [], history);
		// Each bar row is whole: the bar and its percent on one row.
		// One finished bar per wait of V1 (issue 8): activate and secrets share LivePerson's one wait, drawn as one bar with
		// both tasks under it; the allowlist finds the 15 defaults already listed on a first run, so it settles as skipped.
		const bars = rows.filter(line => line.includes('█'));
		assert.equal(bars.length, 2, history);
		assert.match(bars[0]!, /^✔ LivePerson activates Functions V1 \(after the terms of use\) +█+ +100% /, history);
		assert.match(bars[1]!, /^↷ Allowlist the 15 default domains +█+ +100% /, history);
		assert.equal(rows.filter(line => /^ {2}✔ Activate the Functions feature$/.test(line)).length, 1, history);
		assert.equal(rows.filter(line => /^ {2}✔ Install the default secrets \(/.test(line)).length, 1, history);
		// Answered questions break between words: every word of them is on screen whole.
		const words = new Set(history.split(/\s+/));
		for (const question of ['How should lp-onboard log in to LivePerson?', 'Provision LivePerson Functions (V1) on account 12345678 now?']) {
			assert.deepEqual(question.split(' ').filter(word => !words.has(word)), [], history);
		}

		for (let step = 1; step <= 6; step++) {
			assert.equal(rows.filter(line => line.startsWith(`Step ${step} of 6 · `) || line.startsWith(`✔ Step ${step} of 6 · `)).length, 1, `step ${step} once:\n${history}`);
		}
	});
}
