// A newcomer in a real terminal (tmux): how many keystrokes from `node dist/cli.js --sandbox` to the summary, accepting
// every default, with the real keychain (issue 9.7); and the summary and next run when the key is kept "Nowhere" (9.8).
// Build first (`npm run build`).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import type {Terminal} from '../support/tmux.js';
import {createTerminalWorld, keychainSkip} from '../support/terminal-world.js';

const skip = keychainSkip;

/** The open question: inquirer draws it as "? message …" (a select adds its choices below) and turns it into "✔ …" once answered. */
function openQuestion(screen: string): string | undefined {
	const lines = screen.split('\n').map(line => line.trim());
	const index = lines.findLastIndex(line => line.startsWith('? '));
	return index !== -1 && !lines.slice(index + 1).some(line => line.startsWith('✔ ')) ? lines[index] : undefined;
}

async function waitUntil(terminal: Terminal, done: (screen: string) => boolean, timeoutMs = 30_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let screen = '';
	while (Date.now() < deadline) {
		screen = await terminal.screen();
		if (done(screen)) {
			return screen;
		}

		await delay(100);
	}

	throw new Error(`Timed out. Screen:\n${screen}`);
}

/** A terminal world (the harness's session bus, or none) and `node dist/cli.js ARGS` in a terminal of it. */
async function newcomer(t: {after(fn: () => Promise<void>): void}, args: readonly string[], options: {bus?: string} = {}) {
	const world = await createTerminalWorld(t, options);
	return async () => world.terminal([...args, '--profile', world.profile]);
}

test('a newcomer reaches the summary on the sandbox with OAuth 2.0 client credentials, pressing Enter at every question, in eight keystrokes or fewer', {skip, timeout: 120_000}, async t => {
	const terminal = await (await newcomer(t, ['--sandbox']))();
	const questions: string[] = [];
	// Every default accepted: one Enter per question. A question Enter does not answer stays open and times out below.
	for (;;) {
		const screen = await waitUntil(terminal, text => openQuestion(text) !== undefined || /\[exit \d+]/.test(text), 60_000);
		const question = openQuestion(screen);
		if (!question || questions.length > 8) {
			break;
		}

		await terminal.press('Enter');
		questions.push(question);
		await waitUntil(terminal, text => openQuestion(text) !== question);
	}

	t.diagnostic(`${questions.length} keystrokes: ${questions.map(question => question.slice(2, 50)).join(' | ')}`);
	assert.ok(questions.length <= 8, `${questions.length} keystrokes to the summary (issue 14: eight or fewer): ${questions.join(', ')}`);
	assert.equal(await terminal.exited(), 0, await terminal.screen());
	const summary = await terminal.screen();
	assert.match(summary, /You are set up\./);
	assert.match(summary, /Credentials: +OAuth 2\.0 client credentials, working/);
	assert.match(summary, /api GET '\/api\/account\/\{accountId\}\/configuration\/le-users\/users\?v=6\.0'/);
});

test('a key kept "Nowhere": the summary says it is not stored and how to provide it, and the next run offers the demo key again', {timeout: 120_000}, async t => {
	// No session bus: no keychain, so the wizard asks where the key should go.
	const start = await newcomer(t, ['--sandbox', '--skip-provisioning'], {bus: ''});
	const first = await start();
	await first.waitFor(/\? Use the demo account 12345678 and its credentials\?/);
	await first.press('Enter');
	await first.waitFor(/\? Where should the credentials go\?/);
	// The sandbox's default is the 0600 file; "Nowhere" is one up.
	await first.press('Up');
	await first.press('Enter');
	await first.waitFor(/✔ Where should the credentials go\? Nowhere/);
	await first.waitFor(/\? How should lp-onboard log in/);
	await first.press('Enter');
	await first.waitFor(/\? Login name of the bot user/);
	await first.press('Enter');
	assert.equal(await first.exited(), 0, await first.screen());
	const summary = await first.screen();
	assert.match(summary, /Set up, except: the credentials are not stored\./);
	assert.doesNotMatch(summary, /You are set up/);
	assert.match(summary, /Credentials: +OAuth 2\.0 client credentials, working, not stored/);
	assert.match(summary, /LP_CLIENT_SECRET/);

	const second = await start();
	await second.waitFor(/\? Use the demo account 12345678 and its credentials\?/);
	await second.press('Enter');
	// "Nowhere" is remembered, not asked again; the bot from the first run is checked, not recreated.
	assert.equal(await second.exited(), 0, await second.screen());
	const again = await second.screen();
	assert.doesNotMatch(again, /Where should the credentials go/);
	assert.match(again, /✔ Step 4 of 6 · Bot user · lp-onboard-bot logs in with the credentials \(bot user\)\./);
	assert.match(again, /Set up, except: the credentials are not stored\./);
});
