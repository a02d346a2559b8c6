// node-agent-sdk 1.2.0, unmodified, against the sandbox: `node --import tsx nas-login.ts '<JSON of the Agent options>'`.
// Only its documented options are used (csdsDomain pointed at the sandbox, refreshSessionInterval short so one refresh
// happens within the test). Prints one JSON line per event, then exits: the websocket part is out of scope, so the run
// ends at the first messaging event or error after the refresh.
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
const {Agent} = require('node-agent-sdk') as {Agent: new (options: Record<string, unknown>) => NasAgent};

type NasAgent = {
	agentId?: string;
	userId?: string;
	on(event: string, listener: (value: unknown) => void): void;
	dispose(): void;
};

const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const agent = new Agent(options);
const say = (event: string, detail: Record<string, unknown> = {}) => {
	process.stdout.write(`${JSON.stringify({event, ...detail})}\n`);
};

agent.on('error', error => {
	const {message, code} = error as {message?: unknown; code?: unknown};
	say('error', {message: String(message), code: code ?? null, agentId: agent.agentId ?? null, userId: agent.userId ?? null});
});
agent.on('connected', () => {
	say('connected');
});
// The login's outcome is on the SDK object once the session refresh timer is armed; report it, then wait for one refresh.
const started = Date.now();
const timer = setInterval(() => {
	if (agent.userId !== undefined) {
		say('logged-in', {agentId: agent.agentId ?? null, userId: agent.userId});
		clearInterval(timer);
	} else if (Date.now() - started > 15_000) {
		clearInterval(timer);
	}
}, 20);
setTimeout(() => {
	say('done');
	agent.dispose();
	process.exit(0);
}, Number(process.env['NAS_RUN_MS'] ?? 3000));
