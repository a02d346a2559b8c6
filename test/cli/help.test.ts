// Each command's help page, drawn from its declarations: only that command, 80 columns, and examples that run as
// pasted (from the page as printed, continuation lines and all) in bash with `lp-onboard` on PATH. Build first.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmod, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {commands, specs} from '../../source/cli/commands.js';
import {cliPath, createCliEnv, runCli} from '../support/cli.js';
import {privateKeyringSkip, startPrivateKeyring} from '../support/keyring.js';

const exec = promisify(execFile);
const named = commands.filter(command => command !== 'wizard');

test('api --help shows api alone: its usage, its options, the global ones by name, and examples', async t => {
	const dirs = await createCliEnv(t);
	const result = await runCli(['api', '--help'], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	const help = result.stdout;
	assert.match(help, /^lp-onboard api — /);
	assert.match(help, /\$ lp-onboard api \[METHOD] PATH/);
	for (const option of ['--method', '--raw-field', '--field', '--header', '--input', '--include', '--jq', '--paginate', '--silent', '--verbose', '--dry-run']) {
		assert.match(help, new RegExp(`${option}\\b`), `api --help lacks ${option}`);
	}

	for (const other of ['provision', 'domains', 'status', 'doctor']) {
		assert.doesNotMatch(help, new RegExp(`\\$ lp-onboard ${other}`), `api --help shows ${other}`);
	}

	assert.doesNotMatch(help, /--accounts|--skip-provisioning|--show-privileges|--bot-name|Exit codes/);
	assert.equal((await runCli(['help', 'api'], {env: dirs.env})).stdout, help);
	assert.equal((await runCli(['--profile', 'x', 'api', '-h'], {env: dirs.env})).stdout, help);
});

test('every command has a help page of its own that fits 80 columns; help names an unknown command\'s neighbour', async t => {
	const dirs = await createCliEnv(t);
	for (const command of named) {
		const result = await runCli([command, '--help'], {env: dirs.env});
		assert.equal(result.code, 0, `${command}: ${result.stderr}`);
		assert.match(result.stdout, new RegExp(`^lp-onboard ${command} — `));
		// A URL in an example cannot be broken; it stands alone on its line.
		const wide = result.stdout.split('\n').filter(line => [...line].length > 80 && !/^ {6}'[^' ]+'(?: \\)?$/.test(line));
		assert.deepEqual(wide, [], `${command} --help is wider than 80 columns`);
		for (const option of Object.keys(specs[command].options)) {
			assert.match(result.stdout, new RegExp(`--${option}\\b`), `${command} --help lacks --${option}`);
		}
	}

	const wrong = await runCli(['help', 'provison'], {env: dirs.env});
	assert.equal(wrong.code, 2);
	assert.match(wrong.stderr, /No command "provison"\. Did you mean provision\?/);
});

/** The examples of a help page as a person would copy them: each `$ ` line and its `\` continuations. */
function examples(help: string): string[] {
	const lines = help.slice(help.indexOf('\nExamples\n')).split('\n');
	const found: string[] = [];
	for (const [index, line] of lines.entries()) {
		if (line.startsWith('  $ ')) {
			let command = line.slice(4);
			for (let next = index + 1; command.endsWith('\\'); next++) {
				command = `${command}\n${lines[next]!}`;
			}

			found.push(command);
		}
	}

	return found;
}

test('every example runs as pasted: --sandbox ones for real, the others as far as the parser (with --help)', {timeout: 180_000, skip: privateKeyringSkip}, async t => {
	const dirs = await createCliEnv(t, 'lp-examples-');
	// The wizard's example keeps the demo key in a keychain, as a person's run would: a private one.
	const keyring = await startPrivateKeyring();
	t.after(async () => keyring.close());
	const bin = join(dirs.root, 'bin');
	await mkdir(bin);
	await mkdir(join(dirs.env['HOME']!, '.config/fish/completions'), {recursive: true});
	// `lp-onboard` as installed. Without --sandbox an example would reach LivePerson: the shim adds --help, which still
	// parses the whole line (an unknown option or a bad value fails) and then sends nothing.
	await writeFile(join(bin, 'lp-onboard'), `#!/bin/sh\ncase " $* " in *" --sandbox "*) exec node ${cliPath} "$@";; esac\nexec node ${cliPath} "$@" --help\n`);
	await chmod(join(bin, 'lp-onboard'), 0o755);
	const env = {...dirs.env, ...keyring.bus, PATH: `${bin}:${dirs.env['PATH']!}`};
	const pages = await Promise.all(['--help', ...named.map(command => `${command} --help`)].map(async line => (await runCli(line.split(' '), {env: dirs.env})).stdout));
	const all = pages.flatMap(page => examples(page));
	assert.ok(all.length >= named.length, 'fewer examples than commands');
	for (const example of all) {
		const result = await exec('bash', ['--norc', '-c', example], {env, cwd: dirs.root, timeout: 60_000}).then(
			({stdout, stderr}) => ({code: 0, stdout, stderr}),
			(error: {code?: number; stdout?: string; stderr?: string}) => ({code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? ''}),
		);
		// 0 done, 10 provisioning waits on the Functions UI (a dry run's report), 11 a doctor check failed here.
		assert.ok([0, 10, 11].includes(result.code), `${example}\nexit ${result.code}\n${result.stdout}\n${result.stderr}`);
		if (example.includes('--jq \'.[].loginName\'')) {
			// The wizard's example (the first page's) made the bot.
			assert.deepEqual(result.stdout.trim().split('\n').sort(), ['admin', 'agent', 'lp-onboard-bot']);
		}
	}

	// The profile the wizard set up answers `api` with --sandbox alone; a dry run's POST left the sandbox's users as
	// they were (its state file is what the next run reads).
	const names = await exec('bash', ['--norc', '-c', 'lp-onboard --sandbox api GET \'/api/account/{accountId}/configuration/le-users/users?v=4.0\' --jq \'.[].loginName\''], {env});
	assert.deepEqual(names.stdout.trim().split('\n').sort(), ['admin', 'agent', 'lp-onboard-bot']);
	assert.doesNotMatch(JSON.stringify(await dirs.readJson(join(dirs.stateDir, 'sandbox-state.json'))), /bot2/);
});
