// One lint config for source, tests and scripts: the recommended rules of eslint and typescript-eslint, the few
// type-aware rules that catch real bugs (forgotten awaits, promises passed where a callback is expected, casts that do
// nothing), React's hooks rules, and the house style (tabs, single quotes, semicolons) so misindented lines show up.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/']},
	js.configs.recommended,
	tseslint.configs.recommended,
	reactHooks.configs.flat.recommended,
	{
		languageOptions: {
			globals: globals.node,
			parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname},
		},
		plugins: {'@stylistic': stylistic},
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			// Bugs the compiler lets through.
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/no-floating-promises': ['error', {
				// node:test's test()/describe() return promises the runner itself awaits.
				allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite']}],
			}],
			'@typescript-eslint/no-misused-promises': ['error', {checksVoidReturn: {arguments: false, attributes: false}}],
			'@typescript-eslint/no-unnecessary-type-assertion': 'error',
			'@typescript-eslint/only-throw-error': 'error',
			'@typescript-eslint/prefer-promise-reject-errors': 'error',
			'@typescript-eslint/return-await': ['error', 'in-try-catch'],
			'@typescript-eslint/switch-exhaustiveness-check': ['error', {considerDefaultExhaustiveForUnions: true}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none'}],
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			eqeqeq: ['error', 'always', {null: 'ignore'}],
			// A variable assigned once but read by closures made before (e.g. the sandbox's engine) stays `let`.
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
			// An empty `catch {}` is this code's way to say "best effort" (cleanup, optional parsing); other empty blocks are flagged.
			'no-empty': ['error', {allowEmptyCatch: true}],
			// A terminal program matches escape codes and control characters on purpose.
			'no-control-regex': 'off',

			// House style.
			'@stylistic/indent': ['error', 'tab', {SwitchCase: 1}],
			'@stylistic/quotes': ['error', 'single', {avoidEscape: true}],
			'@stylistic/semi': ['error', 'always'],
			// `<T,>` is how a .tsx file writes a generic arrow function, so generics are left alone.
			'@stylistic/comma-dangle': ['error', {
				arrays: 'always-multiline', objects: 'always-multiline', imports: 'always-multiline', exports: 'always-multiline',
				functions: 'always-multiline', enums: 'always-multiline', tuples: 'always-multiline', generics: 'ignore',
			}],
			'@stylistic/arrow-parens': ['error', 'as-needed'],
			'@stylistic/no-trailing-spaces': 'error',
			'@stylistic/eol-last': 'error',
			'@stylistic/no-mixed-spaces-and-tabs': 'error',
			'@stylistic/jsx-quotes': ['error', 'prefer-double'],
		},
	},
	{
		// Long messages, URLs and patterns stay on one line so they stay greppable; a tab counts as one column.
		files: ['cli.tsx', 'source/**', 'scripts/**'],
		rules: {
			'@stylistic/max-len': ['error', {
				code: 120,
				tabWidth: 1,
				ignoreUrls: true,
				ignoreStrings: true,
				ignoreTemplateLiterals: true,
				ignoreRegExpLiterals: true,
			}],
		},
	},
	{
		// Plain JS scripts are not in tsconfig's program, so type-aware rules are off for them.
		files: ['**/*.js'],
		extends: [tseslint.configs.disableTypeChecked],
		rules: {'@typescript-eslint/consistent-type-imports': 'off'},
	},
);
