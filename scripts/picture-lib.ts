// The README's picture (docs/wizard.svg), made from a real run of the current build, and read back as text: `npm run
// picture` draws it (scripts/picture.js), test/e2e/picture.test.ts checks that it still shows what the build shows.
// The wizard runs in tmux (a real terminal) against the embedded sandbox, answered like the README says (Enter for the
// defaults, the demo admin login when asked); two screens are captured with their colours: one while the provisioning
// bars run, one at the end. @xterm/headless replays each capture into a terminal buffer, and every cell becomes SVG
// text.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import xterm from '@xterm/headless';

export const cols = 96;
const rows = 40;

/** One styled piece of a row, at column `x`. */
export type Run = {x: number; width: number; text: string; fill: string; bold: boolean; dim: boolean};
/** A panel of the picture: its caption and rows of runs. */
export type Panel = {caption: string; lines: Run[][]};

/** The two screens of a run of `node dist/cli.js --sandbox`, with their escape sequences: mid-provisioning and done. */
export async function captureRun(root: string): Promise<{running: string; done: string}> {
	const scratch = mkdtempSync(join(tmpdir(), 'lp-onboard-picture-'));
	const socket = `lp-onboard-picture-${process.pid}-${Date.now()}`;
	const env = {
		PATH: process.env['PATH'],
		TERM: 'xterm-256color',
		LANG: 'C.UTF-8',
		HOME: scratch,
		XDG_CONFIG_HOME: join(scratch, 'config'),
		XDG_STATE_HOME: join(scratch, 'state'),
		XDG_DATA_HOME: join(scratch, 'data'),
	};
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {env: {...env, TMUX: ''}, encoding: 'utf8', cwd: root});
	const screen = (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'picture');
	try {
		// The README's first command, with the file fallback so no keychain is needed; from the repository, as the README
		// runs it.
		tmux('new-session', '-d', '-s', 'picture', '-c', root, '-x', String(cols), '-y', String(rows), 'node dist/cli.js --sandbox --insecure-storage; echo "[exit $?]"; sleep 600');
		let running: string | undefined;
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

			const question = text.trimEnd().split('\n').findLast(line => line.startsWith('? '));
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
	} finally {
		try {
			tmux('kill-server');
		} catch {}

		rmSync(scratch, {recursive: true, force: true});
	}
}

// The xterm palette of the 16 basic colours (VS Code's dark theme, close to most terminals).
const palette = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5', '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const foreground = '#d4d4d4';
const background = '#1e1e1e';

function color(cell: xterm.IBufferCell): string {
	if (cell.isFgRGB()) {
		return `#${cell.getFgColor().toString(16).padStart(6, '0')}`;
	}

	if (cell.isFgPalette()) {
		const index = cell.getFgColor();
		if (index < 16) {
			return palette[index]!;
		}

		if (index >= 232) {
			const level = 8 + ((index - 232) * 10);
			return `rgb(${level},${level},${level})`;
		}

		const cube = index - 16;
		const level = (value: number) => (value === 0 ? 0 : 55 + (value * 40));
		return `rgb(${level(Math.floor(cube / 36))},${level(Math.floor(cube / 6) % 6)},${level(cube % 6)})`;
	}

	return foreground;
}

/**
A capture replayed into a headless terminal of the same size: one array of styled runs per row, trailing blank rows
dropped.
*/
export async function replay(capture: string): Promise<Run[][]> {
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
	await new Promise<void>(resolve => {
		terminal.write(capture.replaceAll('\n', '\r\n'), resolve);
	});
	const buffer = terminal.buffer.active;
	const lines: Run[][] = [];
	for (let y = 0; y < rows; y++) {
		const line = buffer.getLine(y);
		const runs: Run[] = [];
		for (let x = 0; x < cols; x++) {
			const cell = line?.getCell(x);
			if (!cell || cell.getWidth() === 0) {
				continue;
			}

			const style = {fill: color(cell), bold: Boolean(cell.isBold()), dim: Boolean(cell.isDim())};
			const last = runs.at(-1);
			const chars = cell.getChars() || ' ';
			if (
				last
				&& last.fill === style.fill
				&& last.bold === style.bold
				&& last.dim === style.dim
				&& last.x + last.width === x
			) {
				last.text += chars;
				last.width += cell.getWidth();
			} else {
				runs.push({...style, x, width: cell.getWidth(), text: chars});
			}
		}

		lines.push(runs.filter(run => run.text.trim() !== ''));
	}

	terminal.dispose();
	while (lines.length > 0 && lines.at(-1)!.length === 0) {
		lines.pop();
	}

	return lines;
}

/**
The picture's two panels from a run's two screens: the end of each, where the run is, not the banner it scrolled past.
*/
export async function panelsOf(run: {running: string; done: string}): Promise<Panel[]> {
	return [
		{caption: 'lp-onboard --sandbox · provisioning', lines: (await replay(run.running)).slice(-22)},
		{caption: 'lp-onboard --sandbox · done', lines: (await replay(run.done)).slice(-24)},
	];
}

const cell = {width: 8.4, height: 18};
const pad = 16;
const bar = 28;
const gap = 12;
const pictureWidth = Math.round((cols * cell.width) + (2 * pad));

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const unescapeXml = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');

function panelSvg({caption, lines}: Panel, top: number): {height: number; svg: string} {
	const height = bar + (lines.length * cell.height) + pad;
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
		svg: `<rect x="0" y="${top}" width="${pictureWidth}" height="${height}" rx="8" fill="${background}"/>
<circle cx="${pad + 4}" cy="${top + 14}" r="5" fill="#ff5f56"/><circle cx="${pad + 20}" cy="${top + 14}" r="5" fill="#ffbd2e"/><circle cx="${pad + 36}" cy="${top + 14}" r="5" fill="#27c93f"/>
<text x="${pictureWidth / 2}" y="${top + 18}" fill="#8a8a8a" text-anchor="middle" font-size="12">${escapeXml(caption)}</text>
${text}`,
	};
}

/** The SVG of the panels, one under the other. */
export function pictureSvg(panels: readonly Panel[]): string {
	let top = 0;
	const parts: string[] = [];
	for (const panel of panels) {
		const {height, svg} = panelSvg(panel, top);
		parts.push(svg);
		top += height + gap;
	}

	return `<svg xmlns="http://www.w3.org/2000/svg" width="${pictureWidth}" height="${top - gap}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14" xml:space="preserve">
<!-- Generated by \`npm run picture\` (scripts/picture.js) from a real terminal run of the current build. -->
${parts.join('\n')}
</svg>
`;
}

/** A panel as the text a person reads in it: its caption, then each row with its runs at their columns. */
export function panelText({caption, lines}: Panel): string {
	const rowsText = lines.map(runs => {
		let line = '';
		for (const run of runs) {
			line = line.padEnd(run.x) + run.text;
		}

		return line.trimEnd();
	});
	return [`[${caption}]`, ...rowsText].join('\n');
}

/** The panels drawn in an SVG made by `pictureSvg`, back as text runs (the colours are not read back). */
export function panelsOfSvg(svg: string): Panel[] {
	const panels: Panel[] = [];
	let top = 0;
	for (const part of svg.split('<rect ').slice(1)) {
		top = Number(/^x="0" y="([\d.]+)"/.exec(part)?.[1] ?? Number.NaN);
		const caption = unescapeXml(/text-anchor="middle"[^>]*>([^<]*)<\/text>/.exec(part)?.[1] ?? '');
		const lines: Run[][] = [];
		for (const match of part.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*textLength="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
			const [x, y, width] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
			const row = Math.round(((y - top - bar) / cell.height) - 0.8);
			while (lines.length <= row) {
				lines.push([]);
			}

			lines[row]!.push({x: Math.round((x - pad) / cell.width), width: Math.round(width / cell.width), text: unescapeXml(match[4]!), fill: '', bold: false, dim: false});
		}

		panels.push({caption, lines});
	}

	return panels;
}

/**
What changes from one run of the same build to the next, masked: how long things took, how far a bar had got when the
screen was captured (its cells, percentage and status mark, and the detail under a running one), the sandbox's port, and
values made up per request.
*/
export function maskVolatile(text: string): string {
	const lines = text.split('\n');
	return lines.map((line, index) => {
		if (/^\s*[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*[█░]/.test(lines[index - 1] ?? '') && /^\s+\S/.test(line)) {
			// The detail under a running bar: what the task is at in that moment (the domain it is adding, a count).
			return line.replace(/\S.*$/, '…');
		}

		let masked = line
			.replaceAll(/(127\.0\.0\.1|localhost|\.sandbox\.test):\d+/g, '$1:PORT')
			.replaceAll(/\b(oauth_nonce|oauth_timestamp|oauth_signature)="[^"]*"/g, '$1="…"')
			.replaceAll(/\b\d+(\.\d+)?(ms| ms|s| s)\b/g, '#s')
			.replaceAll(/\b\d+ of (\d+) min\b/g, '# of $1 min')
			.replaceAll(/\b\d+ ?%/g, '#%');
		if (/[█░]/.test(masked)) {
			// A bar's row: the bar, its percentage and time, and the mark before its title (a spinner frame, ✔ or ○) are the
			// moment's; its title is not.
			masked = masked.replace(/\s*[█░].*$/, ' ▒▒▒').replace(/^(\s*)\S/, '$1•');
		}

		return masked.replaceAll(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '⠿');
	}).join('\n');
}
