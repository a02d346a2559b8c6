import {Readable} from 'node:stream';
import {createIo, type Io} from '../../source/cli/io.js';
import type {Env} from '../../source/environment.js';

export type CapturedIoOptions = {
	/** Whether a person can be asked (a scripted terminal). @default false */
	readonly canPrompt?: boolean;
	/** stdout as a terminal of this many columns; omitted, stdout is a pipe. */
	readonly stdoutColumns?: number;
	/** stderr as a terminal of this many columns; omitted, stderr is a pipe. */
	readonly stderrColumns?: number;
	/** For the colour rules (NO_COLOR, FORCE_COLOR, TERM). @default {} */
	readonly env?: Env;
	/** What stdin holds (a pipe). @default '' */
	readonly input?: string;
};

export type CapturedIo = {
	readonly io: Io;
	/** Every chunk written to stdout, in order. */
	readonly out: string[];
	/** Every chunk written to stderr, in order. */
	readonly err: string[];
};

function collector(chunks: string[], columns: number | undefined): NodeJS.WriteStream {
	const sink = {
		isTTY: columns !== undefined,
		columns,
		write(chunk: string | Uint8Array) {
			chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
			return true;
		},
		on() {
			return sink;
		},
	};
	// Only what the port and the plain printer use; a test that needs Ink on it uses tmux instead.
	return sink as unknown as NodeJS.WriteStream;
}

/**
The I/O port's test double: the real rules (`createIo`) over streams that collect what is written, with terminals where
the test says so.
*/
export function createCapturedIo(options: CapturedIoOptions = {}): CapturedIo {
	const out: string[] = [];
	const err: string[] = [];
	const stdin = Readable.from([options.input ?? '']) as unknown as NodeJS.ReadStream;
	const streams = {stdin, stdout: collector(out, options.stdoutColumns), stderr: collector(err, options.stderrColumns)};
	return {io: createIo(streams, options.env ?? {}, options.canPrompt ?? false), out, err};
}
