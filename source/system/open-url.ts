import type {Env} from '../environment.js';
import {childEnv} from './child-env.js';

/**
Opens a URL with the platform's opener, detached, with a scrubbed environment. False when there is no display to open it
on or the opener could not start; the caller has printed the URL anyway.
*/
export async function openUrl(url: string, {platform, env}: {platform: NodeJS.Platform; env: Env}): Promise<boolean> {
	if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
		return false;
	}

	const [command, ...args] = platform === 'darwin' ? ['open', url] : (platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url]);
	const {spawn} = await import('node:child_process');
	return new Promise(resolve => {
		const child = spawn(command, args, {stdio: 'ignore', detached: true, env: childEnv(env)});
		child.on('error', () => {
			resolve(false);
		});
		child.on('spawn', () => {
			child.unref();
			resolve(true);
		});
	});
}
