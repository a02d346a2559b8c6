import {type Env, isInteractive, colorWanted} from '../environment.js';

/** The streams of the process, as the composition root hands them over. */
export type Streams = {
	readonly stdin: NodeJS.ReadStream;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
};

/**
The terminal as one port, in the spirit of gh's iostreams: the three streams and every fact about them, decided once from the
real streams and the environment. Results go to `out`; Ink, prompts, warnings and errors to `err`.
*/
export type Io = {
	readonly in: NodeJS.ReadStream;
	readonly out: NodeJS.WriteStream;
	readonly err: NodeJS.WriteStream;
	readonly stdinIsTerminal: boolean;
	/** stdout is a terminal: results may be laid out for reading (pretty JSON) rather than for the next program. */
	readonly stdoutIsTerminal: boolean;
	readonly stderrIsTerminal: boolean;
	/** A person at a terminal: prompts and live output. False with pipes, `CI`, TERM=dumb, or after `withoutPrompts()`. */
	readonly canPrompt: boolean;
	/** stdout's width now when it is a terminal (80 if it reports none); undefined for a pipe or a file. */
	readonly columns: number | undefined;
	/** stderr's width now when it is a terminal, for messages drawn there; undefined otherwise. */
	readonly errColumns: number | undefined;
	/** Colour on stdout: FORCE_COLOR wins, then NO_COLOR, then a terminal that is not TERM=dumb. */
	readonly colorEnabled: boolean;
	/** Colour on stderr (the UI, warnings, the error printer), by the same rule. */
	readonly errColorEnabled: boolean;
	/** One line (or block) of result on stdout, ending in a newline. */
	print(text: string): void;
	/** The same port with prompts off: `--json` output, or stdin taken by `--stdin`, must never wait on a question. */
	withoutPrompts(): Io;
};

const width = (stream: NodeJS.WriteStream) => (stream.isTTY ? stream.columns || 80 : undefined);

/** The port for these streams and this environment; only `cli.tsx` passes the real ones. */
export function createIo({stdin, stdout, stderr}: Streams, env: Env, canPrompt?: boolean): Io {
	const io: Io = {
		in: stdin,
		out: stdout,
		err: stderr,
		stdinIsTerminal: Boolean(stdin.isTTY),
		stdoutIsTerminal: Boolean(stdout.isTTY),
		stderrIsTerminal: Boolean(stderr.isTTY),
		// Prompts and the live UI read stdin and draw on stderr (stdout carries results).
		canPrompt: canPrompt ?? isInteractive({stdinIsTTY: stdin.isTTY, stderrIsTTY: stderr.isTTY, env}),
		get columns() {
			return width(stdout);
		},
		get errColumns() {
			return width(stderr);
		},
		colorEnabled: colorWanted(env, stdout.isTTY),
		errColorEnabled: colorWanted(env, stderr.isTTY),
		print(text) {
			stdout.write(text.endsWith('\n') ? text : `${text}\n`);
		},
		withoutPrompts: () => createIo({stdin, stdout, stderr}, env, false),
	};
	return io;
}
