import {type RunCommand, result} from './command.js';

/**
`lp-onboard sandbox`: the embedded LivePerson sandbox alone, until Ctrl-C. It serves the same persisted state as `--sandbox`
runs, so a second terminal (`--csds-url http://127.0.0.1:PORT`) sees what the wizard made.
*/
export const run: RunCommand = async f => {
	const {startSandbox, formatDemo} = await import('../sandbox/server.js');
	const sandbox = await startSandbox({port: f.flags.port ?? 0, stateFile: `${f.paths.stateDir}/sandbox-state.json`});
	try {
		f.io.print(formatDemo(sandbox).join('\n'));
		(await f.ui()).info('Sandbox running. Press Ctrl-C to stop.');
		await new Promise(resolve => {
			f.signal.addEventListener('abort', resolve, {once: true});
		});
	} finally {
		await sandbox.close();
	}

	return result(undefined);
};
