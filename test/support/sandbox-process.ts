// A sandbox in its own process, for tests of two sandboxes on one state file:
// `node --import tsx sandbox-process.ts STATE_FILE` prints {"url", "port"} as one JSON line and runs until stdin closes.
import {startSandbox} from '../../source/sandbox/server.js';

const sandbox = await startSandbox({stateFile: process.argv[2]!});
process.stdout.write(`${JSON.stringify({url: sandbox.url, port: sandbox.port})}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
	void sandbox.close();
});
