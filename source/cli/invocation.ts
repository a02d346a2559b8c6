import {basename, isAbsolute, relative} from 'node:path';
import {shellQuote} from '../system/shell.js';

/**
How the user started lp-onboard, so printed next steps work when pasted: `lp-onboard` from PATH, `npx lp-onboard`, or
`node dist/cli.js` from a clone.
*/
export function invocationOf({script, cwd, env}: {
	script: string | undefined;
	cwd: string;
	env: Readonly<Record<string, string | undefined>>;
}): string {
	if (env['npm_command'] === 'exec') {
		return 'npx lp-onboard';
	}

	if (!script || basename(script) === 'lp-onboard') {
		return 'lp-onboard';
	}

	const path = relative(cwd, script);
	const shown = path.startsWith('..') || isAbsolute(path) ? script : path;
	return `node ${/^[\w./-]+$/.test(shown) ? shown : shellQuote(shown)}`;
}
