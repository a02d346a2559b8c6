#!/usr/bin/env node
// Bundles cli.tsx into dist/ with esbuild: one file for the start-up path plus lazily loaded chunks (Ink and React, the
// sandbox, the wizard…), so `--version` and the first wizard frame load a few files instead of hundreds of modules.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import {rmSync} from 'node:fs';
import process from 'node:process';
import {build} from 'esbuild';

/** The build options, shared with test/build.test.ts, which checks what each start-up path loads. */
export const buildOptions = {
	entryPoints: ['cli.tsx'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	// keytar is a native optional dependency, loaded at run time when present; Ink imports react-devtools-core only
	// when DEV is set, and it is not a dependency. jq-wasm (api --jq) finds its WebAssembly beside itself, through the
	// CommonJS __dirname, so it loads from node_modules as published.
	external: ['keytar', 'react-devtools-core', 'jq-wasm'],
	// Bundled CommonJS (React) calls require(); give ESM output one.
	banner: {js: 'import {createRequire as __createRequire} from \'node:module\'; const require = __createRequire(import.meta.url);'},
	// React's production build: the development one is several times larger and slower to load.
	// yoga-layout (Ink's layout engine) loads its WebAssembly from a data: URL with fetch() when fetch exists, and Node's
	// fetch pulls in its own copy of undici: ~25 ms of start-up. Nothing in the bundle uses the global fetch; without it
	// yoga instantiates from the bytes directly.
	define: {'process.env.NODE_ENV': '"production"', fetch: 'undefined'},
	minifySyntax: true,
	chunkNames: 'chunks/[name]-[hash]',
	logLevel: 'warning',
};

if (process.argv[1] === import.meta.filename) {
	rmSync('dist', {recursive: true, force: true});
	await build(buildOptions);
}
