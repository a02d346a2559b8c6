import type {ServerResponse} from 'node:http';

/** Writes `chunkBytes` of spaces after `prefix` for as long as the client reads: a body that never ends. */
export function writeEndlessly(response: ServerResponse, {prefix = '', chunkBytes = 64 * 1024}: {prefix?: string; chunkBytes?: number} = {}): void {
	response.writeHead(200, {'content-type': 'application/json'});
	response.write(prefix);
	const chunk = Buffer.alloc(chunkBytes, 0x20);
	const pump = () => {
		for (;;) {
			if (response.destroyed) {
				return;
			}

			if (!response.write(chunk)) {
				response.once('drain', pump);
				return;
			}
		}
	};

	pump();
}
