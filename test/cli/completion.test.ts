// The completion scripts loaded into each real shell: bash (its completion function called as bash calls it), fish
// (`complete -C`, fish's own completer) and zsh (typed into an interactive zsh in a real terminal, Tab pressed).
// Build first (`npm run build`).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {createCliEnv, runCli} from '../support/cli.js';
import {openTerminal} from '../support/tmux.js';

const exec = promisify(execFile);

async function script(t: {after(fn: () => Promise<void>): void}, shell: string): Promise<{file: string; env: Record<string, string>}> {
	const dirs = await createCliEnv(t, `lp-completion-${shell}-`);
	const result = await runCli(['completion', shell], {env: dirs.env});
	assert.equal(result.code, 0, result.stderr);
	const file = join(dirs.root, `lp-onboard.${shell}`);
	await writeFile(file, result.stdout);
	return {file, env: {...dirs.env}};
}

test('bash completes commands, a command\'s own options (not another\'s), and option values', async t => {
	const {file, env} = await script(t, 'bash');
	const complete = async (...words: string[]) => {
		const line = `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map(word => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _lp_onboard; printf '%s\\n' "\${COMPREPLY[@]}"`;
		const {stdout} = await exec('bash', ['--norc', '--noprofile', '-c', line], {env});
		return stdout.split('\n').filter(Boolean);
	};

	assert.deepEqual(await complete('lp-onboard', 'ap'), ['api']);
	assert.deepEqual(await complete('lp-onboard', 'do'), ['domains', 'doctor']);
	const api = await complete('lp-onboard', 'api', '--');
	for (const option of ['--jq', '--method', '--paginate', '--dry-run', '--profile', '--sandbox']) {
		assert.ok(api.includes(option), `api lacks ${option}`);
	}

	assert.ok(!api.includes('--yes') && !api.includes('--accounts'), 'api offers another command\'s options');
	const provision = await complete('lp-onboard', '--sandbox', 'provision', '--');
	assert.ok(provision.includes('--accounts') && !provision.includes('--jq'));
	assert.deepEqual(await complete('lp-onboard', 'api', '--pag'), ['--paginate']);
	assert.deepEqual(await complete('lp-onboard', 'api', '-X', 'P'), ['POST', 'PUT', 'PATCH']);
	assert.deepEqual(await complete('lp-onboard', 'completion', ''), ['bash', 'zsh', 'fish']);
	assert.deepEqual(await complete('lp-onboard', '--sk'), ['--skip-provisioning']);
});

test('fish completes commands, a command\'s own options, and option values', async t => {
	const {file, env} = await script(t, 'fish');
	const complete = async (line: string) => {
		const {stdout} = await exec('fish', ['--no-config', '-c', `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`], {env});
		return stdout.split('\n').filter(Boolean).map(entry => entry.split('\t')[0]!);
	};

	const commands = await complete('lp-onboard ');
	for (const command of ['api', 'auth', 'domains', 'provision', 'status', 'help', 'completion']) {
		assert.ok(commands.includes(command), `fish lacks ${command}`);
	}

	const api = await complete('lp-onboard api --');
	assert.ok(api.includes('--jq') && api.includes('--paginate') && api.includes('--profile'));
	assert.ok(!api.includes('--yes') && !api.includes('--accounts'));
	assert.deepEqual(await complete('lp-onboard api --pagi'), ['--paginate']);
	assert.deepEqual((await complete('lp-onboard api --method ')).sort(), ['DELETE', 'GET', 'PATCH', 'POST', 'PUT']);
	const provision = await complete('lp-onboard provision --');
	assert.ok(provision.includes('--accounts') && !provision.includes('--jq'));
});

test('zsh completes commands and a command\'s own options at a real prompt', async t => {
	const {file, env} = await script(t, 'zsh');
	const terminal = await openTerminal(['zsh', '-f', '-i'], {env: {...env, PS1: '$ ', TERM: 'xterm-256color'}, width: 160, height: 40});
	t.after(async () => terminal.close());
	await terminal.type(`source ${file}`, 'Enter');
	await terminal.type('clear', 'Enter');
	await terminal.type('lp-onboard ap', 'Tab');
	await terminal.waitFor(/ lp-onboard api *$/m);
	await terminal.press('C-u');
	await terminal.type('lp-onboard api --pagi', 'Tab');
	await terminal.waitFor(/ lp-onboard api --paginate *$/m);
	await terminal.press('C-u');
	await terminal.type('lp-onboard api --', 'Tab');
	const listed = await terminal.waitFor(/--jq/);
	assert.match(listed, /--dry-run/);
	assert.match(listed, /--profile/);
	assert.doesNotMatch(listed, /--yes|--accounts/);
	await terminal.press('C-u');
	await terminal.type('lp-onboard provision --concur', 'Tab');
	await terminal.waitFor(/ lp-onboard provision --concurrency *$/m);
});
