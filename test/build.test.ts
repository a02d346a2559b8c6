import test from 'node:test';
import assert from 'node:assert/strict';
import {build, type Metafile} from 'esbuild';
// @ts-expect-error scripts/build.js is plain JavaScript without types.
import {buildOptions} from '../scripts/build.js';

// What each start-up path loads is a promise the README makes (and `npm run bench` measures): check it on the real bundle.
const {metafile} = await build({...buildOptions, write: false, metafile: true, outdir: 'dist-test'}) as {metafile: Metafile};

function output(prefix: string): string {
	const name = Object.keys(metafile.outputs).find(path => path.startsWith(prefix) && path.endsWith('.js'));
	assert.ok(name, `no output ${prefix}*`);
	return name;
}

/** Every input bundled into `entry` and the chunks it imports statically (not through `import()`). */
function staticInputs(entry: string): Set<string> {
	const seen = new Set<string>();
	const inputs = new Set<string>();
	const visit = (path: string) => {
		if (seen.has(path)) {
			return;
		}

		seen.add(path);
		const file = metafile.outputs[path]!;
		for (const input of Object.keys(file.inputs)) {
			inputs.add(input);
		}

		for (const imported of file.imports) {
			if (imported.kind === 'import-statement' && !imported.external) {
				visit(imported.path);
			}
		}
	};

	visit(entry);
	return inputs;
}

const loads = (inputs: Set<string>, module: string) => [...inputs].some(input => input.startsWith(`node_modules/${module}/`));

test('--version and --help load no Ink, React, undici or inquirer', () => {
	const inputs = staticInputs(output('dist-test/cli'));
	for (const module of ['ink', 'react', 'undici', '@inquirer/prompts', '@inquirer/core']) {
		assert.equal(loads(inputs, module), false, `cli.js loads ${module}`);
	}
});

test('the wizard and provisioning reach their first frame without undici', () => {
	for (const chunk of ['dist-test/chunks/run-wizard-', 'dist-test/chunks/provision-', 'dist-test/chunks/ink-ui-']) {
		const inputs = staticInputs(output(chunk));
		assert.equal(loads(inputs, 'undici'), false, `${chunk} loads undici`);
		assert.equal(loads(inputs, '@inquirer/core'), false, `${chunk} loads @inquirer/core`);
	}
});

test('the plain (non-terminal) UI loads neither Ink nor React', () => {
	const inputs = staticInputs(output('dist-test/chunks/plain-ui-'));
	assert.equal(loads(inputs, 'ink'), false);
	assert.equal(loads(inputs, 'react'), false);
});

test('the bundle ships React\'s production build', () => {
	const inputs = staticInputs(output('dist-test/chunks/ink-ui-'));
	assert.ok(loads(inputs, 'react'));
	assert.equal([...inputs].some(input => input.includes('.development.js')), false);
});
