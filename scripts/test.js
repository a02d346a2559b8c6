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
child.on('close', code => {
	const count = name => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
	const passed = count('pass');
	const failed = count('fail') + count('cancelled');
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = code === 0 && failed === 0 ? 0 : 1;
});
