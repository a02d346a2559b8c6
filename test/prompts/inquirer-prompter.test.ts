import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {render} from '@inquirer/testing';
import type {Context} from '@inquirer/type';
import {CancelledError} from '../../source/errors.js';
import {createInquirerPrompter} from '../../source/prompts/inquirer-prompter.js';
import type {Prompter} from '../../source/prompts/prompter.js';

// @inquirer/testing hands its virtual terminal to the prompt function as `context`; building the adapter from that
// context drives the real adapter, streams and all, with no module mocking.
function adapter<Value, Config>(ask: (prompter: Prompter, config: Config) => Promise<Value>) {
	return async (config: Config, context?: Context) =>
		ask(
			createInquirerPrompter({
				input: context?.input ?? new PassThrough(),
				output: context?.output ?? new PassThrough(),
				...(context?.signal ? {signal: context.signal} : {}),
			}),
			config,
		);
}

test('text returns what was typed', async () => {
	const {answer, events, getScreen} = await render(
		adapter((prompter, config: {message: string}) => prompter.text({id: 'account-id', ...config})),
		{message: 'LivePerson account id'},
	);
	events.type('12345678');
	assert.match(getScreen(), /LivePerson account id 12345678/);
	events.keypress('enter');
	assert.equal(await answer, '12345678');
});

test('text passes validation through and shows its message', async () => {
	const {answer, events, getScreen, nextRender} = await render(
		adapter(prompter =>
			prompter.text({id: 'account-id', message: 'Account', validate: value => /^\d+$/.test(value) || 'Digits only, e.g. 12345678'}),
		),
		{},
	);
	events.type('abc');
	events.keypress('enter');
	await nextRender();
	assert.match(getScreen(), /Digits only, e\.g\. 12345678/);
	for (let index = 0; index < 3; index++) {
		events.keypress('backspace');
	}

	events.type('42');
	events.keypress('enter');
	assert.equal(await answer, '42');
});

test('typing a secret shows nothing of it, not even its length', async () => {
	const {answer, events, getScreen, getFullOutput} = await render(
		adapter(prompter => prompter.secret({id: 'app-secret', message: 'App secret'})),
		{},
	);
	events.type('s3cr3t');
	assert.equal(getScreen(), '? App secret [hidden as you type]');
	events.keypress({name: 't', ctrl: true});
	assert.equal(getScreen(), '? App secret [hidden as you type]');
	events.keypress('enter');
	assert.equal(await answer, 's3cr3t');
	assert.ok(!(await getFullOutput({raw: true})).includes('s3cr3t'));
});

test('confirm returns the default on enter and false on n', async () => {
	const yes = await render(
		adapter(prompter => prompter.confirm({id: 'confirm-provision', message: 'Provision now?', default: true})),
		{},
	);
	yes.events.keypress('enter');
	assert.equal(await yes.answer, true);

	const no = await render(
		adapter(prompter => prompter.confirm({id: 'confirm-provision', message: 'Provision now?', default: true})),
		{},
	);
	no.events.type('n');
	no.events.keypress('enter');
	assert.equal(await no.answer, false);
});

test('select lists the choices and returns the chosen value', async () => {
	const {answer, events, getScreen} = await render(
		adapter(prompter =>
			prompter.select({
				id: 'login-method',
				message: 'How should lp-onboard log in?',
				choices: [
					{value: 'api-key', name: 'As a bot user, with the API key'},
					{value: 'password', name: 'With a username and password', description: 'Needs an admin user'},
				],
				default: 'api-key',
			}),
		),
		{},
	);
	assert.match(getScreen(), /As a bot user, with the API key/);
	events.keypress('down');
	assert.match(getScreen(), /Needs an admin user/);
	events.keypress('enter');
	assert.equal(await answer, 'password');
});

test('aborting the signal cancels the open prompt with CancelledError', async () => {
	const controller = new AbortController();
	const {answer} = await render(adapter(prompter => prompter.text({id: 'account-id', message: 'Account'})), {}, {signal: controller.signal});
	controller.abort();
	await assert.rejects(answer, CancelledError);
});

test('an already aborted signal cancels before anything is drawn', async () => {
	const output = new PassThrough();
	let drawn = '';
	output.on('data', chunk => {
		drawn += String(chunk);
	});
	const prompter = createInquirerPrompter({input: new PassThrough(), output, signal: AbortSignal.abort()});
	await assert.rejects(prompter.confirm({id: 'confirm-provision', message: 'Provision?'}), CancelledError);
	assert.equal(drawn, '');
});

test('Ctrl-C closes the prompt with CancelledError', async () => {
	const {answer, events} = await render(adapter(prompter => prompter.secret({id: 'password', message: 'Password'})), {});
	events.type('half');
	events.keypress({name: 'c', ctrl: true});
	await assert.rejects(answer, (error: unknown) => {
		assert.ok(error instanceof CancelledError, String(error));
		assert.equal(error.exitCode, 130);
		return true;
	});
});
