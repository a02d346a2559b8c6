import {execFile} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {promisify} from 'node:util';
import {setTimeout as delay} from 'node:timers/promises';

const exec = promisify(execFile);

export type Terminal = {
	/** Types text, then presses the given keys (tmux key names such as Enter, Down, C-c). */
	type(text: string, ...keys: string[]): Promise<void>;
	press(...keys: string[]): Promise<void>;
	/** The visible screen, lines joined with \n; with `escapes`, the colour and style escape codes too. */
	screen(options?: {escapes?: boolean}): Promise<string>;
	/** Waits until the screen matches (polling capture-pane); throws with the last screen when it does not in time. */
	waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
	/** The whole pane: scrollback and screen, lines joined with \n; with `joined`, rows the terminal wrapped are one line again. */
	history(options?: {joined?: boolean}): Promise<string>;
	/**
	Resizes the terminal, as a person dragging the window's edge would. With `settled`, the command is paused (SIGSTOP) until
	the terminal has drawn everything it wrote, and continued after the resize: output still on its way to the terminal when
	it re-wraps its rows would be wrapped by the new width instead, a race between the terminal and the command that no
	command can see.
	*/
	resize(width: number, height: number, options?: {settled?: boolean}): Promise<void>;
	/** Resolves with the command's exit code once it has ended. */
	exited(timeoutMs?: number): Promise<number>;
	close(): Promise<void>;
};

/**
Runs a command in a real terminal: a detached tmux session of its own (own socket), so tests see exactly what a person sees.
*/
export async function openTerminal(command: readonly string[], {env, cwd, width = 120, height = 40}: {env: Record<string, string>; cwd?: string; width?: number; height?: number}): Promise<Terminal> {
	const socket = `lp-onboard-test-${randomUUID()}`;
	const tmux = async (...args: string[]) => exec('tmux', ['-L', socket, ...args], {env: {...env, TMUX: ''}, cwd});
	const quoted = command.map(part => `'${part.replaceAll('\'', '\'\\\'\'')}'`).join(' ');
	// Keep the pane after the command ends and record its exit code, so `exited()` can read it.
	await tmux('new-session', '-d', '-s', 'test', '-x', String(width), '-y', String(height), `${quoted}; echo "[exit $?]"; sleep 600`);
	const screen = async ({escapes = false}: {escapes?: boolean} = {}) =>
		(await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'test')).stdout.replace(/\s+$/, '');
	const waitFor = async (pattern: string | RegExp, timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			last = await screen();
			if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) {
				return last;
			}

			await delay(100);
		}

		throw new Error(`Timed out waiting for ${String(pattern)}. Screen:\n${last}`);
	};

	return {
		async type(text, ...keys) {
			await tmux('send-keys', '-t', 'test', '-l', text);
			if (keys.length > 0) {
				await tmux('send-keys', '-t', 'test', ...keys);
			}
		},
		async press(...keys) {
			await tmux('send-keys', '-t', 'test', ...keys);
		},
		screen,
		waitFor,
		async history({joined = false} = {}) {
			return (await tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-S', '-', '-t', 'test')).stdout.replace(/\s+$/, '');
		},
		async resize(width, height, {settled = false} = {}) {
			// The pane's shell leads the process group the command runs in.
			const group = settled ? -Number((await tmux('display-message', '-p', '-t', 'test', '#{pane_pid}')).stdout.trim()) : 0;
			if (settled) {
				process.kill(group, 'SIGSTOP');
				for (let last = '', now = await screen({escapes: true}); now !== last; last = now, now = await screen({escapes: true})) {
					await delay(20);
				}
			}

			try {
				await tmux('resize-window', '-t', 'test', '-x', String(width), '-y', String(height));
			} finally {
				if (settled) {
					process.kill(group, 'SIGCONT');
				}
			}
		},
		async exited(timeoutMs) {
			const text = await waitFor(/\[exit \d+]/, timeoutMs);
			return Number(/\[exit (\d+)]/.exec(text)![1]);
		},
		async close() {
			await tmux('kill-server').catch(() => undefined);
		},
	};
}
