import type {Env} from '../environment.js';

/**
What a desktop opener or the keychain helper needs to find the user's session (case-insensitive: Windows spells `Path`,
`SystemRoot`); nothing else reaches a child process.
*/
const passed = /^(?:PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|TZ|TMPDIR|DISPLAY|WAYLAND_DISPLAY|DBUS_SESSION_BUS_ADDRESS|BROWSER|XAUTHORITY|SYSTEMROOT|WINDIR|COMSPEC|PATHEXT|APPDATA|LOCALAPPDATA|USERPROFILE|LC_[A-Z]+|XDG_[A-Z_]+)$/i;

/**
The environment for a child process: an allowlist, so LP_APP_SECRET, LP_PASSWORD and any other secret a user exported
never reach a browser that outlives this run.
*/
export function childEnv(env: Env): Record<string, string> {
	return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] =>
		passed.test(entry[0]) && entry[1] !== undefined));
}
