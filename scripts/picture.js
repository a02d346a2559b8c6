#!/usr/bin/env node
// `npm run picture`: docs/wizard.svg, the README's picture, from a real run of the current build. The wizard runs in tmux
// (a real terminal) against the embedded sandbox, answered like the README says (Enter for the defaults, the demo admin
// login when asked); two screens are captured with their colours: one while the provisioning bars run, one at the end.
// @xterm/headless replays each capture into a terminal buffer, and every cell becomes SVG text in its colour.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import xterm from '@xterm/headless';

const root = join(import.meta.dirname, '..');
const cols = 96;
const rows = 40;
const scratch = mkdtempSync(join(tmpdir(), 'lp-onboard-picture-'));
const socket = `lp-onboard-picture-${process.pid}`;
const env = {
	PATH: process.env.PATH,
	TERM: 'xterm-256color',
	LANG: 'C.UTF-8',
	HOME: scratch,
	XDG_CONFIG_HOME: join(scratch, 'config'),
	XDG_STATE_HOME: join(scratch, 'state'),
	XDG_DATA_HOME: join(scratch, 'data'),
};
const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], {env: {...env, TMUX: ''}, encoding: 'utf8'});
const screen = (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'picture');

async function capture() {
	// The README's first command, with the file fallback so no keychain is needed.
	tmux('new-session', '-d', '-s', 'picture', '-x', String(cols), '-y', String(rows), `node ${join(root, 'dist/cli.js')} --sandbox --insecure-storage; echo "[exit $?]"; sleep 600`);
	let running;
	let answered = '';
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		const text = screen();
		if (text.includes('[exit ')) {
			if (!/\[exit 0]/.test(text) || !running) {
				throw new Error(`the run did not end as expected:\n${text}`);
			}

			// The final screen, without the shell's "[exit 0]" line.
			return {running, done: screen(true).replace(/\n[^\n]*\[exit 0][^]*$/, '\n')};
		}

		const lines = text.trimEnd().split('\n');
		const question = lines.findLast(line => line.startsWith('? '));
		if (!running && /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*█+░+ /.test(text)) {
			running = screen(true);
		}

		if (question && question !== answered) {
			answered = question;
			if (/username/i.test(question) && !/\(admin\)/.test(question)) {
				tmux('send-keys', '-t', 'picture', '-l', 'admin');
			} else if (/password/i.test(question)) {
				tmux('send-keys', '-t', 'picture', '-l', 'sandbox-admin-pass');
			}

			tmux('send-keys', '-t', 'picture', 'Enter');
		}

		await delay(50);
	}

	throw new Error(`no end within 90 s:\n${screen()}`);
}

// The xterm palette of the 16 basic colours (VS Code's dark theme, close to most terminals).
const palette = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5', '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const foreground = '#d4d4d4';
const background = '#1e1e1e';

function color(cell) {
	if (cell.isFgRGB()) {
		return `#${cell.getFgColor().toString(16).padStart(6, '0')}`;
	}

	if (cell.isFgPalette()) {
		const index = cell.getFgColor();
		if (index < 16) {
			return palette[index];
		}

		if (index >= 232) {
			const level = 8 + ((index - 232) * 10);
			return `rgb(${level},${level},${level})`;
		}

		const cube = index - 16;
		const level = value => (value === 0 ? 0 : 55 + (value * 40));
		return `rgb(${level(Math.floor(cube / 36))},${level(Math.floor(cube / 6) % 6)},${level(cube % 6)})`;
	}

	return foreground;
}

const escapeXml = text => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The capture replayed into a headless terminal of the same size: one array of styled runs per row, trailing blank rows dropped. */
async function replay(capture) {
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
	await new Promise(resolve => {
		terminal.write(capture.replaceAll('\n', '\r\n'), resolve);
	});
	const buffer = terminal.buffer.active;
	const lines = [];
	for (let y = 0; y < rows; y++) {
		const line = buffer.getLine(y);
		const runs = [];
		for (let x = 0; x < cols; x++) {
			const cell = line?.getCell(x);
			if (!cell || cell.getWidth() === 0) {
				continue;
			}

			const style = {fill: color(cell), bold: Boolean(cell.isBold()), dim: Boolean(cell.isDim())};
			const last = runs.at(-1);
			const chars = cell.getChars() || ' ';
			if (last && last.fill === style.fill && last.bold === style.bold && last.dim === style.dim && last.x + last.width === x) {
				last.text += chars;
				last.width += cell.getWidth();
			} else {
				runs.push({...style, x, width: cell.getWidth(), text: chars});
			}
		}

		lines.push(runs.filter(run => run.text.trim() !== ''));
	}

	terminal.dispose();
	while (lines.length > 0 && lines.at(-1).length === 0) {
		lines.pop();
	}

	return lines;
}

const cell = {width: 8.4, height: 18};
const pad = 16;
const bar = 28;

function panel(lines, top, caption) {
	const height = bar + (lines.length * cell.height) + pad;
	const width = Math.round((cols * cell.width) + (2 * pad));
	const text = lines.map((runs, y) => runs.map(run => {
		const attributes = [`x="${(pad + (run.x * cell.width)).toFixed(1)}"`, `y="${(top + bar + ((y + 0.8) * cell.height)).toFixed(1)}"`, `fill="${run.fill}"`];
		if (run.bold) {
			attributes.push('font-weight="bold"');
		}

		if (run.dim) {
			attributes.push('opacity="0.6"');
		}

		return `<text ${attributes.join(' ')} textLength="${(run.width * cell.width).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escapeXml(run.text)}</text>`;
	}).join('')).join('\n');
	return {
		height,
		svg: `<rect x="0" y="${top}" width="${width}" height="${height}" rx="8" fill="${background}"/>
<circle cx="${pad + 4}" cy="${top + 14}" r="5" fill="#ff5f56"/><circle cx="${pad + 20}" cy="${top + 14}" r="5" fill="#ffbd2e"/><circle cx="${pad + 36}" cy="${top + 14}" r="5" fill="#27c93f"/>
<text x="${width / 2}" y="${top + 18}" fill="#8a8a8a" text-anchor="middle" font-size="12">${escapeXml(caption)}</text>
${text}`,
	};
}

try {
	const {running, done} = await capture();
	const [first, last] = [await replay(running), await replay(done)];
	// The end of each screen: where the run is, not the demo banner it scrolled past.
	const one = panel(first.slice(-22), 0, 'lp-onboard --sandbox · provisioning');
	const two = panel(last.slice(-24), one.height + 12, 'lp-onboard --sandbox · done');
	const width = Math.round((cols * cell.width) + (2 * pad));
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${one.height + 12 + two.height}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14" xml:space="preserve">
<!-- Generated by \`npm run picture\` (scripts/picture.js) from a real terminal run of the current build. -->
${one.svg}
${two.svg}
</svg>
`;
	writeFileSync(join(root, 'docs/wizard.svg'), svg);
	console.log(`docs/wizard.svg: ${first.length} + ${last.length} rows captured`);
} finally {
	try {
		tmux('kill-server');
	} catch {}

	rmSync(scratch, {recursive: true, force: true});
}
