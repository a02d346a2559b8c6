import test from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {formatDoctor, runDoctor, type DoctorProbes} from '../../source/commands/doctor.js';
import {KeychainUnavailableError} from '../../source/errors.js';

async function dateServer(skewMs: number) {
	const server = createServer((_request, response) => {
		response.setHeader('Date', new Date(Date.now() + skewMs).toUTCString());
		response.end('{}');
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	return {url: `http://127.0.0.1:${port}`, close: async () => new Promise(resolve => server.close(resolve))};
}

async function serverDate(url: string) {
	const start = Date.now();
	const response = await fetch(url);
	await response.arrayBuffer();
	const header = response.headers.get('date');
	return {date: header ? Date.parse(header) : undefined, ms: Date.now() - start};
}

function probes(overrides: Partial<DoctorProbes>): DoctorProbes {
	return {nodeVersion: 'v20.20.2', env: {}, csdsUrl: 'http://127.0.0.1:1', probeKeychain: async () => undefined, serverDate, now: Date.now, ...overrides};
}

test('a healthy machine passes every check', async () => {
	const server = await dateServer(0);
	const results = await runDoctor(probes({csdsUrl: server.url}));
	await server.close();
	assert.deepEqual(results.map(({name, ok}) => [name, ok]), [['Node.js', true], ['OS keychain', true], ['Proxy', true], ['CSDS reachable', true], ['Clock', true]]);
});

test('a clock ten minutes behind the server fails with a fix', async () => {
	const server = await dateServer(10 * 60 * 1000);
	const results = await runDoctor(probes({csdsUrl: server.url}));
	await server.close();
	const clock = results.find(result => result.name === 'Clock')!;
	assert.equal(clock.ok, false);
	assert.match(clock.detail, /^(599|600|601) s behind the server$/);
	assert.match(clock.fix!, /network time/);
});

test('an old Node, no keychain, a bad proxy and an unreachable host each name their fix', async () => {
	const results = await runDoctor(probes({
		nodeVersion: 'v18.19.0',
		env: {HTTPS_PROXY: 'not a url'},
		async probeKeychain() {
			throw new KeychainUnavailableError('no Secret Service on D-Bus');
		},
	}));
	assert.deepEqual(results.map(({ok}) => ok), [false, false, false, false]);
	for (const line of results) {
		assert.ok(line.fix, `${line.name} has a fix`);
	}

	const text = formatDoctor(results).join('\n');
	assert.match(text, /✖ Node.js: v18.19.0\n {2}→ Install Node.js 20.18.1/);
	assert.match(text, /--insecure-storage/);
});

test('at a width, each check and its fix break between words, the rest indented under the text', () => {
	const fix = 'On Linux, install and unlock a Secret Service (e.g. `apt-get install gnome-keyring` and run inside `dbus-run-session`). Or pass --insecure-storage to keep them in a 0600 file.';
	const results = [{name: 'OS keychain', ok: false, detail: 'The OS keychain is not available: no Secret Service on D-Bus (Cannot autolaunch D-Bus without X11 $DISPLAY).', fix}];
	const lines = formatDoctor(results, 80);
	assert.ok(lines.length > 3, lines.join('\n'));
	assert.ok(lines.every(line => line.length <= 80), lines.join('\n'));
	const fixStart = lines.findIndex(line => line.startsWith('  → '));
	assert.ok(fixStart > 1, lines.join('\n'));
	assert.ok(lines.slice(1, fixStart).every(line => line.startsWith('  ') && !line.startsWith('   ')), 'the detail goes on under the name');
	assert.ok(lines.slice(fixStart + 1).every(line => /^ {4}\S/.test(line)), 'the fix goes on under its text');
	// Whole words: joined again, the lines give back the text.
	assert.equal(lines.slice(fixStart).map(line => line.slice(4)).join(' '), fix);
	assert.deepEqual(formatDoctor(results), [`✖ OS keychain: ${results[0]!.detail}`, `  → ${fix}`], 'not a terminal: one line each');
});
