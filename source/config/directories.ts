import {chmod, mkdir, stat} from 'node:fs/promises';
import {basename, join, relative, sep} from 'node:path';
import {onPath} from './fs-errors.js';
import {appDirectoryName} from './paths.js';

/**
Creates `directory` (and missing parents) for lp-onboard's own files, readable by its owner only: 0700 whatever the umask
(`mkdir`'s mode is filtered by the umask, so every directory created here is chmod-ed after). An existing lp-onboard
directory that others can enter is narrowed to 0700 too; any other existing directory (a parent, or a shared folder such
as /tmp that a caller put a file in) is left as it is. File-system failures become an `EnvironmentError` naming the
directory.
*/
export async function ensurePrivateDirectory(directory: string): Promise<void> {
	await onPath(directory, 'create', async () => {
		const first = await mkdir(directory, {recursive: true, mode: 0o700});
		if (first === undefined) {
			if (basename(directory) === appDirectoryName && ((await stat(directory)).mode & 0o077) !== 0) {
				await chmod(directory, 0o700);
			}

			return;
		}

		// `first` is the topmost directory mkdir created; every one below it down to `directory` is new too.
		let current = first;
		await chmod(current, 0o700);
		for (const part of relative(first, directory).split(sep).filter(Boolean)) {
			current = join(current, part);
			await chmod(current, 0o700);
		}
	});
}
