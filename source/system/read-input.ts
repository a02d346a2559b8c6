import {CancelledError, UsageError} from '../errors.js';

/**
Reads a whole stream as text, at most `maxBytes`, ending at once when `signal` aborts (a pipe nobody writes to must not
need a second Ctrl-C).
*/
export async function readText(stream: NodeJS.ReadableStream, {signal, maxBytes, what, hint}: {signal: AbortSignal; maxBytes: number; what: string; hint?: string}): Promise<string> {
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
				reject(new UsageError(`${what} is larger than ${Math.round(maxBytes / 1024)} KiB.`, hint ?? 'Pass only the KEY=VALUE lines it needs.'));
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
