// The README's picture cannot go stale (issue 16.5): docs/wizard.svg must show, as text, what the current build shows on
// the same run (scripts/picture-lib.ts: the README's first command in tmux, Enter at every question), with only what
// differs from run to run masked (timings, a bar's progress, the sandbox's port, per-request values). When it fails,
// `npm run picture` draws it again. Build first (`npm run build`).
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import {captureRun, maskVolatile, panelsOf, panelsOfSvg, panelText, pictureSvg} from '../../scripts/picture-lib.js';

const root = resolve(import.meta.dirname, '../..');

test('the SVG gives back the text it was drawn from, row by row and column by column', async () => {
	const capture = 'plain \u001B[32m✔ green\u001B[39m and <xml> & more\n\n  \u001B[1mbold\u001B[22m at column 2\n';
	const panels = await panelsOf({running: capture, done: `${capture}last\n`});
	const back = panelsOfSvg(pictureSvg(panels));
	assert.deepEqual(back.map(panel => panelText(panel)), panels.map(panel => panelText(panel)));
	assert.equal(panelText(back[0]!), '[lp-onboard --sandbox · provisioning]\nplain ✔ green and <xml> & more\n\n  bold at column 2');
});

test('what differs between two runs of one build is masked, and nothing else', () => {
	assert.equal(
		maskVolatile('⠸ Allowlist the 15 default domains      █░░░░░  20%   0.4s\n✔ Logging in to 12345678 (0.1s)\nhttp://127.0.0.1:44639/x va.agentvep.sandbox.test:39111'),
		'• Allowlist the 15 default domains ▒▒▒\n✔ Logging in to 12345678 (#s)\nhttp://127.0.0.1:PORT/x va.agentvep.sandbox.test:PORT',
	);
	assert.equal(maskVolatile('Functions:     provisioned, 15 default domains'), 'Functions:     provisioned, 15 default domains');
});

test('docs/wizard.svg shows what the current build shows on the README\'s first run', {timeout: 180_000}, async () => {
	const drawn = panelsOfSvg(await readFile(join(root, 'docs/wizard.svg'), 'utf8')).map(panel => maskVolatile(panelText(panel)));
	assert.equal(drawn.length, 2);
	assert.ok(drawn.every(text => text.split('\n').length > 10), drawn.join('\n'));
	const now = (await panelsOf(await captureRun(root))).map(panel => maskVolatile(panelText(panel)));
	assert.deepEqual(now, drawn, 'docs/wizard.svg no longer shows what the build shows: run `npm run picture` and commit it');
});
