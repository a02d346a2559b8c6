import {EventEmitter} from 'node:events';

/**
Just enough of a terminal for Ink: `raw` collects what is written to its stdout, its stdin counts `ref()` and `resume()`
calls. Not a TTY unless a test makes it one; `plain()` is everything written, escape codes stripped (Ink erases live rows
with escape codes, so every frame it drew is in it).
*/
export function fakeTerminal(width = 100, height = 40) {
	const stdout = Object.assign(new EventEmitter(), {
		columns: width,
		rows: height,
		isTTY: false,
		text: '',
		write(chunk: string) {
			stdout.text += chunk;
			return true;
		},
	});
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: false,
		refs: 0,
		resumed: 0,
		ref() {
			stdin.refs++;
		},
		unref() {},
		setEncoding() {},
		setRawMode() {},
		pause() {},
		resume() {
			stdin.resumed++;
		},
		read: () => null,
	});
	let interrupts = 0;
	return {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		raw: stdout,
		plain: () => stdout.text.replaceAll(/\u001B\[[0-?]*[ -/]*[@-~]/g, ''),
		refs: () => stdin.refs,
		resumed: () => stdin.resumed,
		onInterrupt() {
			interrupts++;
		},
		interrupts: () => interrupts,
	};
}
