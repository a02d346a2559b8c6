import {type RunCommand, result} from './command.js';

/**
`lp-onboard sandbox`: the embedded LivePerson sandbox alone, until Ctrl-C. It serves the same persisted state as
`--sandbox` runs, so a second terminal (`--csds-url http://127.0.0.1:PORT`) sees what the wizard made. With `--tls` it
serves https with a certificate from its own CA, kept in the state directory, and prints what each client needs to trust
it.
*/
export const run: RunCommand = async f => {
	const {startSandbox, formatDemo} = await import('../sandbox/server.js');
	const sandbox = await startSandbox({
		port: f.flags.port ?? 0,
		stateFile: `${f.paths.stateDir}/sandbox-state.json`,
		...(f.flags.tls ? {tls: {directory: f.paths.stateDir, searchPath: f.env['PATH']}} : {}),
	});
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
