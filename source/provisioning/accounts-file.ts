import {close, constants, fstat, open, read} from 'node:fs';
import {Socket} from 'node:net';
import {promisify} from 'node:util';
import {parseAccountId} from '../account-id.js';
import {CancelledError, UsageError} from '../errors.js';

/**
The most `--accounts` reads (some 100,000 ids). A bigger file, or `/dev/zero`, is refused rather than read into memory.
*/
/** An account id the file lists again at `line`, first listed at `firstLine` (1-based). */
export type DuplicateListener = (duplicate: {
	readonly accountId: string;
	readonly line: number;
	readonly firstLine: number;
}) => void;

export const accountsFileCapBytes = 1024 * 1024;

const fileHint = 'Pass a text file with one account id a line, or a CSV with an account column.';
const openFile = promisify(open);
const statFile = promisify(fstat);
const readFile = promisify(read);
const closeFile = promisify(close);

/**
Reads and parses an `--accounts FILE`, at most `accountsFileCapBytes` of it. A FIFO or socket is read through the event
loop, so aborting `signal` (SIGINT, SIGTERM) ends a read that no writer ever feeds.
*/
export async function readAccountsFile(
	path: string,
	{signal, onDuplicate}: {readonly signal?: AbortSignal; readonly onDuplicate?: DuplicateListener} = {},
): Promise<string[]> {
	let bytes: Buffer;
	try {
		signal?.throwIfAborted();
		// O_NONBLOCK: opening a FIFO for reading would otherwise wait, in a thread no signal reaches, until a writer comes.
		const fd = await openFile(path, constants.O_RDONLY | constants.O_NONBLOCK);
		const stat = await statFile(fd).catch(async (error: unknown) => {
			await closeFile(fd).catch(() => undefined);
			throw error;
		});
		if (stat.isDirectory()) {
			await closeFile(fd);
			throw new UsageError(`--accounts ${path} is a directory.`, fileHint);
		}

		bytes = stat.isFIFO() || stat.isSocket() ? await readStream(fd, signal) : await readCapped(fd, signal);
	} catch (error) {
		if (signal?.aborted) {
			throw new CancelledError('Reading the accounts file was cancelled.');
		}

		if (error instanceof UsageError) {
			throw error;
		}

		throw new UsageError(`Cannot read --accounts file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, fileHint);
	}

	if (bytes.length > accountsFileCapBytes) {
		throw new UsageError(
			`--accounts file ${path} is larger than ${accountsFileCapBytes / 1024 / 1024} MiB, the most lp-onboard reads.`,
			'Split the accounts into files of at most 1 MiB and run provision once per file.',
		);
	}

	return parseAccountsFile(bytes.toString('utf8'), onDuplicate);
}

/** Reads a file (or a device such as `/dev/zero`) chunk by chunk, stopping one byte past the cap; closes `fd`. */
async function readCapped(fd: number, signal: AbortSignal | undefined): Promise<Buffer> {
	const buffer = Buffer.alloc(accountsFileCapBytes + 1);
	let length = 0;
	try {
		while (length < buffer.length) {
			signal?.throwIfAborted();
			const {bytesRead} = await readFile(fd, buffer, length, buffer.length - length, null);
			if (bytesRead === 0) {
				break;
			}

			length += bytesRead;
		}
	} finally {
		await closeFile(fd).catch(() => undefined);
	}

	return buffer.subarray(0, length);
}

/**
Reads a FIFO or socket through the event loop (libuv polls it), so an abort stops the wait; the socket closes `fd`.
*/
async function readStream(fd: number, signal: AbortSignal | undefined): Promise<Buffer> {
	const socket = new Socket({fd, readable: true, writable: false});
	const stop = () => socket.destroy();
	if (signal?.aborted) {
		stop();
	}

	signal?.addEventListener('abort', stop, {once: true});
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of socket) {
			chunks.push(chunk as Buffer);
			length += (chunk as Buffer).length;
			if (length > accountsFileCapBytes) {
				break;
			}
		}
	} finally {
		signal?.removeEventListener('abort', stop);
		socket.destroy();
	}

	signal?.throwIfAborted();
	return Buffer.concat(chunks);
}

function splitCsvLine(line: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let index = 0; index < line.length; index++) {
		const char = line[index]!;
		if (quoted) {
			if (char === '"' && line[index + 1] === '"') {
				cell += '"';
				index++;
			} else if (char === '"') {
				quoted = false;
			} else {
				cell += char;
			}
		} else if (char === '"') {
			quoted = true;
		} else if (char === ',' || char === ';' || char === '\t') {
			cells.push(cell.trim());
			cell = '';
		} else {
			cell += char;
		}
	}

	cells.push(cell.trim());
	return cells;
}

/**
Reads an `--accounts FILE`: one account id a line, or CSV (separated by commas, semicolons or tabs, as spreadsheets
export it) whose header names an `account` / `accountId` column (else the first column is used, so `1;x` reads as `1`).
Blank lines and `#` comments are skipped; a duplicate is provisioned once, at its first line, and told to `onDuplicate`
so the caller can say so.
*/
export function parseAccountsFile(text: string, onDuplicate?: DuplicateListener): string[] {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((raw, index) => ({number: index + 1, text: raw.replace(/(^|\s)#.*$/, '').trim()}))
		.filter(line => line.text !== '');
	let column = 0;
	const first = lines[0];
	if (first) {
		const cells = splitCsvLine(first.text).map(cell => cell.toLowerCase().replaceAll(/[\s_-]/g, ''));
		const named = cells.findIndex(cell => cell === 'account' || cell === 'accountid');
		if (named !== -1) {
			column = named;
			lines.shift();
		} else if (cells.length > 1 && !/\d/.test(cells[0]!)) {
			// A header row without an account column (its first cell has no digit, an id would): the ids are in the first
			// column.
			lines.shift();
		}
	}

	const ids: string[] = [];
	const seen = new Map<string, number>();
	for (const line of lines) {
		const id = splitCsvLine(line.text)[column] ?? '';
		parseAccountId(id, `Line ${line.number} of the accounts file`);
		const first = seen.get(id);
		if (first === undefined) {
			seen.set(id, line.number);
			ids.push(id);
		} else {
			onDuplicate?.({accountId: id, line: line.number, firstLine: first});
		}
	}

	if (ids.length === 0) {
		throw new UsageError('The accounts file lists no account ids.', 'Put one account id a line, or a CSV with an "account" column.');
	}

	return ids;
}
