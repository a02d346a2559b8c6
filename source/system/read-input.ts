import {CancelledError, UsageError} from '../errors.js';

/**
Reads a whole stream as text, at most `maxBytes`, ending at once when `signal` aborts (a pipe nobody writes to must not
need a second Ctrl-C).
*/
export async function readText(
	stream: NodeJS.ReadableStream,
	{signal, maxBytes, what, hint}: {signal: AbortSignal; maxBytes: number; what: string; hint?: string},
): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	return new Promise((resolve, reject) => {
		const cleanup = () => {
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('error', onError);
			signal.removeEventListener('abort', onAbort);
			stream.pause();
		};

		const onData = (chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += buffer.length;
			if (size > maxBytes) {
				cleanup();
				reject(new UsageError(`${what} is too large (over ${formatSize(maxBytes)}).`, hint ?? 'Pass only the KEY=VALUE lines it needs.'));
				return;
			}

			chunks.push(buffer);
		};

		const onEnd = () => {
			cleanup();
			resolve(Buffer.concat(chunks).toString('utf8'));
		};

		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};

		const onAbort = () => {
			cleanup();
			reject(new CancelledError());
		};

		if (signal.aborted) {
			onAbort();
			return;
		}

		signal.addEventListener('abort', onAbort, {once: true});
		stream.on('data', onData);
		stream.on('end', onEnd);
		stream.on('error', onError);
	});
}

/**
A file read up to a cap: its bytes, or `tooLarge` once it has more than `maxBytes` (nothing past the cap is read).
*/
export type CappedFile =
	| {readonly bytes: Buffer; readonly tooLarge: false}
	| {readonly bytes: undefined; readonly tooLarge: true};

/**
Reads a file, or a device such as `/dev/zero`, chunk by chunk, stopping one byte past `maxBytes`: memory never holds
more than the cap, whatever the file claims its size is. File-system errors (ENOENT, EACCES, EISDIR…) reject as they
are.
*/
export async function readFileCapped(
	path: string,
	{maxBytes, signal}: {maxBytes: number; signal?: AbortSignal},
): Promise<CappedFile> {
	const {open} = await import('node:fs/promises');
	const handle = await open(path, 'r');
	try {
		const chunks: Buffer[] = [];
		let size = 0;
		for (;;) {
			signal?.throwIfAborted();
			const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - size));
			const {bytesRead} = await handle.read(chunk, 0, chunk.length, null);
			if (bytesRead === 0) {
				return {bytes: Buffer.concat(chunks), tooLarge: false};
			}

			size += bytesRead;
			if (size > maxBytes) {
				return {bytes: undefined, tooLarge: true};
			}

			chunks.push(chunk.subarray(0, bytesRead));
		}
	} finally {
		await handle.close();
	}
}

/** How a cap reads in messages: `16 MiB`, `64 KiB`. */
export function formatSize(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
