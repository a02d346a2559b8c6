import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';

/**
Starts `server` on a free port of 127.0.0.1 and returns its `host:port`; `after` (a test's or the file's hook) closes
it, its open connections first, and waits until it has.
*/
export async function listenOnLoopback(server: Server, after: (fn: () => Promise<void>) => void): Promise<string> {
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	after(async () => new Promise<void>(resolve => {
		server.closeAllConnections();
		server.close(() => {
			resolve();
		});
	}));
	return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}
