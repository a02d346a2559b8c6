#!/usr/bin/env node
// Runs every test file (or the ones named) with Node's test runner and tsx, then prints one closing line
// "N passed, N failed". Usage: node scripts/test.js [file …]
import {spawn} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {join} from 'node:path';

function findTests(directory) {
	return readdirSync(directory, {withFileTypes: true}).flatMap(entry => {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) {
			return entry.name === 'support' || entry.name === 'fixtures' ? [] : findTests(path);
		}

		return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
	});
}

const files = process.argv.length > 2 ? process.argv.slice(2) : findTests('test').sort();
const child = spawn(
	process.execPath,
	['--import', 'tsx', '--test', '--test-concurrency=4', '--test-reporter=spec', ...files],
	{stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1'}},
);
let output = '';
child.stdout.on('data', chunk => {
	output += chunk;
	process.stdout.write(chunk);
});
// Under CI a skipped keychain test is a failure: a machine without gnome-keyring (or keytar) would otherwise end green
// having never tried the keychain.
const keychainSkips = () => [...output.matchAll(/^\s*﹣ (.*) \(\d[\d.]*m?s\) # (.*)$/gm)]
	.filter(([, , reason]) => /keychain|keyring|secret service|keytar/i.test(reason))
	.map(([, name]) => name);

child.on('close', code => {
	const count = name => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
	const passed = count('pass');
	const failed = count('fail') + count('cancelled');
	const skipped = process.env.CI === 'true' ? keychainSkips() : [];
	if (skipped.length > 0) {
		console.log(`CI=true: ${skipped.length} keychain tests skipped (${skipped.slice(0, 3).join('; ')}…): `
			+ 'install gnome-keyring, dbus and keytar, and run under scripts/with-keyring.sh');
	}

	console.log(`${passed} passed, ${failed} failed${skipped.length > 0 ? `, ${skipped.length} keychain tests skipped` : ''}`);
	process.exitCode = code === 0 && failed === 0 && skipped.length === 0 ? 0 : 1;
});
