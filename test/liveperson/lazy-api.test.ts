import test from 'node:test';
import assert from 'node:assert/strict';
import {createLazyLivePersonApi} from '../../source/liveperson/lazy-api.js';
import {startSandbox} from '../../source/sandbox/server.js';

test('the lazy client answers like the real one, over real HTTP', async t => {
	const sandbox = await startSandbox({port: 0});
	t.after(async () => sandbox.close());
	const api = createLazyLivePersonApi({csdsUrl: sandbox.url, resolveSandboxHosts: true});
	t.after(async () => api.close());
	const domains = await api.domains('12345678');
	assert.match(domains['agentVep'] ?? '', /^va\.agentvep\.sandbox\.test:\d+$/);
	const users = await api.listUsers('12345678', domains, {oauth: sandbox.demo.accounts['12345678'].apiKey});
	assert.ok(users.some(user => user.loginName === 'admin'));
});

test('the real client is made at the first call only: closing an unused lazy client makes none', async () => {
	let made = 0;
	// createLivePersonApi reads csdsUrl when it makes the client; the getter counts that.
	const options = {
		get csdsUrl() {
			made++;
			return 'http://127.0.0.1:1';
		},
		timeoutMs: 2000,
	};
	const unused = createLazyLivePersonApi(options);
	await unused.close();
	assert.equal(made, 0);
	const used = createLazyLivePersonApi(options);
	// Nothing listens on 127.0.0.1:1: the real client's own error, at once (a refused loopback connection is not retried).
	await assert.rejects(used.domains('12345678'), {name: 'HttpError', message: /connection failed \(ECONNREFUSED\) \(GET 127\.0\.0\.1:1\//});
	await used.close();
	assert.ok(made > 0, 'the first call made the real client');
});
