/** Environment variables as `process.env` holds them; only `cli.tsx` passes the real one. */
export type Env = Readonly<Record<string, string | undefined>>;

export type InteractiveOptions = {
	readonly stdinIsTTY: boolean | undefined;
	/** Whether stderr is a terminal: the UI and prompts draw there, since results go to stdout. */
	readonly stderrIsTTY: boolean | undefined;
	readonly env: Env;
};

const isFalse = (value: string) => value === 'false' || value === '0';

/** Whether `CI` is set to anything but `false`/`0` (is-in-ci treats it the same way). */
export function isCi(env: Env): boolean {
	const ci = env['CI'];
	return ci !== undefined && !isFalse(ci);
}

/**
Whether we may ask questions and draw live output. Ink 6.8 does not check this by itself, so the I/O port
(source/cli/io.ts) asks here, and the factory picks the plain UI and the flag prompter when this is false: in CI, on a
dumb terminal, or when either end is piped.
*/
export function isInteractive({stdinIsTTY, stderrIsTTY, env}: InteractiveOptions): boolean {
	return Boolean(stdinIsTTY) && Boolean(stderrIsTTY) && !isCi(env) && env['TERM'] !== 'dumb';
}

/**
Whether to colour output. `FORCE_COLOR` wins over `NO_COLOR`, as in Node's own `tty.getColorDepth()`: `0`/`false` turns
colour off, any other value (even empty) turns it on. A non-empty `NO_COLOR` turns it off (https://no-color.org).
*/
export function colorWanted(env: Env, isTTY: boolean | undefined): boolean {
	const force = env['FORCE_COLOR'];
	if (force !== undefined) {
		return !isFalse(force);
	}

	if (env['NO_COLOR']) {
		return false;
	}

	return Boolean(isTTY) && env['TERM'] !== 'dumb';
}
