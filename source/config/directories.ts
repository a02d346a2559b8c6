import {chmod, lstat, mkdir, realpath, stat} from 'node:fs/promises';
import {basename, join, relative, sep} from 'node:path';
import {EnvironmentError} from '../errors.js';
import {onPath} from './fs-errors.js';
import {appDirectoryName} from './paths.js';

/**
Creates `directory` (and missing parents) for lp-onboard's own files, readable by its owner only: 0700 whatever the
umask (`mkdir`'s mode is filtered by the umask, so every directory created here is chmod-ed after). An existing
lp-onboard directory that others can enter is narrowed to 0700 too; any other existing directory (a parent, or a shared
folder such as /tmp that a caller put a file in) is left as it is. File-system failures become an `EnvironmentError`
naming the directory.
*/
export async function ensurePrivateDirectory(directory: string): Promise<void> {
	await onPath(directory, 'create', async () => {
		const first = await mkdir(directory, {recursive: true, mode: 0o700});
		if (first === undefined) {
			if (basename(directory) === appDirectoryName) {
				await holdOwnDirectory(directory);
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

/**
An existing lp-onboard directory is used only if it is the user's own: a symbolic link is not followed into a directory
of someone else (a sticky /tmp, another user's home), and what the user does not own is never chmod-ed. One of theirs
that others can enter is narrowed to 0700.
*/
async function holdOwnDirectory(directory: string): Promise<void> {
	const link = await lstat(directory);
	const info = link.isSymbolicLink() ? await stat(directory) : link;
	const uid = process.getuid?.();
	const target = link.isSymbolicLink() ? ` (a symbolic link to ${await realpath(directory)})` : '';
	if (!info.isDirectory()) {
		throw new EnvironmentError(
			`${directory}${target} is not a directory.`,
			`Move it away; lp-onboard creates ${directory} itself.`,
			{path: directory},
		);
	}

	if (uid !== undefined && info.uid !== uid) {
		throw new EnvironmentError(
			`${directory}${target} belongs to another user (uid ${info.uid}): `
				+ 'lp-onboard keeps its files only in a directory of yours.',
			`Remove ${link.isSymbolicLink() ? 'the link' : 'it (or ask its owner to)'} and run lp-onboard again; `
				+ `it creates ${directory} as a private directory of yours.`,
			{path: directory},
		);
	}

	if (link.isSymbolicLink() && (info.mode & 0o002) !== 0) {
		throw new EnvironmentError(
			`${directory}${target} points to a directory anyone can write to.`,
			`Remove the link and run lp-onboard again; it creates ${directory} as a private directory of yours.`,
			{path: directory},
		);
	}

	if ((info.mode & 0o077) !== 0) {
		await chmod(directory, 0o700);
	}
}
