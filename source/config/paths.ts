import {isAbsolute, join} from 'node:path';
import {EnvironmentError} from '../errors.js';

export type ConfigPaths = {
	/** `$XDG_CONFIG_HOME/lp-onboard`, else `~/.config/lp-onboard`. */
	readonly configDir: string;
	/** Non-secret state: profiles, account ids, cached domains. */
	readonly configFile: string;
	/** The 0600 file used only with `--insecure-storage`. */
	readonly credentialsFile: string;
	/** `$XDG_STATE_HOME/lp-onboard`, else `~/.local/state/lp-onboard`: logs and other things that may be lost. */
	readonly stateDir: string;
	/** These are the `--sandbox` runs' own paths (`sandboxPaths`), apart from every real profile's. */
	readonly sandbox?: boolean;
};

export const appDirectoryName = 'lp-onboard';

/**
Where lp-onboard keeps its files, following the XDG Base Directory spec. Relative `XDG_*` values are ignored, as the
spec requires. An empty or relative home is refused (`EnvironmentError`) when a path would be made from it: it would put
the files, the credentials file among them, in whatever the current directory is.

@example
```
configPaths({XDG_CONFIG_HOME: '/c'}, '/home/ada');
//=> {configDir: '/c/lp-onboard', configFile: '/c/lp-onboard/config.json',
//    credentialsFile: '/c/lp-onboard/credentials.json', stateDir: '/home/ada/.local/state/lp-onboard'}
```
*/
export function configPaths(env: Readonly<Record<string, string | undefined>>, homedir: string): ConfigPaths {
	const home = () => {
		if (!isAbsolute(homedir)) {
			throw new EnvironmentError(
				`HOME is ${homedir ? `the relative path ${JSON.stringify(homedir)}` : 'empty'}, so lp-onboard has nowhere to keep its files.`,
				'Set HOME to your home directory, or XDG_CONFIG_HOME and XDG_STATE_HOME to absolute paths.',
			);
		}

		return homedir;
	};

	const configHome = absolute(env['XDG_CONFIG_HOME']) ?? join(home(), '.config');
	const stateHome = absolute(env['XDG_STATE_HOME']) ?? join(home(), '.local', 'state');
	const configDir = join(configHome, appDirectoryName);
	return {
		configDir,
		configFile: join(configDir, 'config.json'),
		credentialsFile: join(configDir, 'credentials.json'),
		stateDir: join(stateHome, appDirectoryName),
	};
}

/**
Where `--sandbox` runs keep their profiles: a `sandbox/` folder in both directories, with its own config.json,
credentials.json and checkpoints, so a demo never blocks or changes what a real run uses (their keychain items live
under their own service, `sandboxSecretService`).
*/
export function sandboxPaths(paths: ConfigPaths): ConfigPaths {
	const configDir = join(paths.configDir, sandboxDirectoryName);
	return {
		configDir,
		configFile: join(configDir, 'config.json'),
		credentialsFile: join(configDir, 'credentials.json'),
		stateDir: join(paths.stateDir, sandboxDirectoryName),
		sandbox: true,
	};
}

const sandboxDirectoryName = 'sandbox';

function absolute(path: string | undefined): string | undefined {
	return path && isAbsolute(path) ? path : undefined;
}
