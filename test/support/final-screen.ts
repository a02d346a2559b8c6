import xterm from '@xterm/headless';

/** What a terminal shows after all the writes (live rows erased and redrawn as a terminal would), scrollback included. */
export async function finalScreen(text: string, width: number): Promise<string> {
	const terminal = new xterm.Terminal({cols: width, rows: 50, scrollback: 1000, allowProposedApi: true});
	await new Promise<void>(resolve => {
		terminal.write(text.replaceAll('\n', '\r\n'), resolve);
	});
	const buffer = terminal.buffer.active;
	const lines = Array.from({length: buffer.length}, (_, y) => buffer.getLine(y)?.translateToString(true) ?? '');
	terminal.dispose();
	return lines.join('\n').trimEnd();
}
