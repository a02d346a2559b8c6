// Issue 16.3: retries show as they happen. A 503 on the CSDS call and on the V2 watch call, each once: the plain printer
// prints "retrying in 5 s, 1 of 3: LivePerson answered 503" under the call's line and under the wait's bar, then the run
// goes on to the end.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {provisionAccount} from '../../source/provisioning/provision.js';
import {createPlainUi} from '../../source/ui/plain-ui.js';
import {createProvisionWorld, submitFunctionsUi} from '../support/provision-world.js';

test('the retries of a call and of the wait show as they happen, with the pause, the count and the reason', async t => {
	// The admin's click in the Functions UI, then one 503 for the watch call that follows it.
	const guide = {
		async start() {
			await submitFunctionsUi(sandbox, '87654321');
			sandbox.addFault({kind: 'status', status: 503, times: 1, match: {method: 'GET', path: '/functions'}});
			return true;
		},
		confirmDone: async () => false,
	};
	const {sandbox, provisionOptions} = await createProvisionWorld({test: t, guide});
	sandbox.addFault({kind: 'status', status: 503, times: 1, match: {path: '/baseURI.json'}});
	let text = '';
	const ui = createPlainUi({
		write(chunk: string) {
			text += chunk;
		},
	});
	const report = await provisionAccount({...provisionOptions('87654321').options, ui});
	assert.equal(report.ok, true, text);
	const lines = text.split('\n');
	assert.ok(lines.includes('Resolving the service domains of 87654321… retrying in 5 s, 1 of 3: LivePerson answered 503'), text);
	assert.ok(lines.some(line => /^\[1\/1] ↻ LivePerson provisions Functions V2 \(up to 10 min\) retrying in 5 s, 1 of 3: LivePerson answered 503$/.test(line)), text);
});
