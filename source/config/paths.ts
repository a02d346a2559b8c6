import {isAbsolute, join} from 'node:path';

export type ConfigPaths = {
	/** `$XDG_CONFIG_HOME/lp-onboard`, else `~/.config/lp-onboard`. */
	readonly configDir: string;
	/** Non-secret state: profiles, account ids, cached domains. */
	readonly configFile: string;
	/** The 0600 file used only with `--insecure-storage`. */
	readonly credentialsFile: string;
	/** `$XDG_STATE_HOME/lp-onboard`, else `~/.local/state/lp-onboard`: logs and other things that may be lost. */
	readonly stateDir: string;
};

export const appDirectoryName = 'lp-onboard';

/**
Where lp-onboard keeps its files, following the XDG Base Directory spec. Relative `XDG_*` values are ignored, as the spec
requires.

@example
```
configPaths({XDG_CONFIG_HOME: '/c'}, '/home/ada');
//=> {configDir: '/c/lp-onboard', configFile: '/c/lp-onboard/config.json', credentialsFile: '/c/lp-onboard/credentials.json', stateDir: '/home/ada/.local/state/lp-onboard'}
```
*/
export function configPaths(env: Readonly<Record<string, string | undefined>>, homedir: string): ConfigPaths {
	const configHome = absolute(env['XDG_CONFIG_HOME']) ?? join(homedir, '.config');
	const stateHome = absolute(env['XDG_STATE_HOME']) ?? join(homedir, '.local', 'state');
	const configDir = join(configHome, appDirectoryName);
	return {
		configDir,
		configFile: join(configDir, 'config.json'),
		credentialsFile: join(configDir, 'credentials.json'),
		stateDir: join(stateHome, appDirectoryName),
	};
}

function absolute(path: string | undefined): string | undefined {
	return path && isAbsolute(path) ? path : undefined;
}
