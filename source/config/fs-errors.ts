import {existsSync} from 'node:fs';
import {dirname} from 'node:path';
import {EnvironmentError, LpError} from '../errors.js';

export type FsAction = 'read' | 'write' | 'create' | 'lock';

/**
The one place that turns a file-system error into something the user can act on: an `EnvironmentError` (exit 9) that
names `path` and the fix. `LpError`s pass through; anything without an errno code is returned as is (a real bug).
*/
export function fsError(error: unknown, path: string, action: FsAction): unknown {
	if (error instanceof LpError || !isErrnoException(error) || typeof error.code !== 'string') {
		return error;
	}

	const options = {path, cause: error};
	switch (error.code) {
		case 'EACCES':
		case 'EPERM': {
			// Reading needs the file itself; creating or replacing one needs the closest directory that exists.
			const blocker = action === 'read' ? path : existingAncestor(path);
			return new EnvironmentError(
				`Permission denied: lp-onboard cannot ${action} ${path}.`,
				`Give your user access to ${blocker} (see \`ls -ld ${blocker}\`), or set XDG_CONFIG_HOME and XDG_STATE_HOME to directories you own.`,
				options,
			);
		}

		case 'EROFS': {
			return new EnvironmentError(
				`${path} is on a read-only file system.`,
				'Set XDG_CONFIG_HOME and XDG_STATE_HOME to a writable place.',
				options,
			);
		}

		case 'ENOSPC':
		case 'EDQUOT': {
			return new EnvironmentError(
				`The disk is full: lp-onboard cannot ${action} ${path}.`,
				`Free some space on the disk that holds ${path} (see \`df -h\`), then run it again.`,
				options,
			);
		}

		case 'EISDIR': {
			return new EnvironmentError(
				`${path} is a directory, where lp-onboard keeps a file.`,
				`Move it away (\`mv ${path} ${path}.bak\`), then run it again.`,
				options,
			);
		}

		case 'ENOTDIR':
		case 'EEXIST': {
			return new EnvironmentError(
				`Part of ${path} is a file, where lp-onboard needs a directory.`,
				'Move that file away, or set XDG_CONFIG_HOME and XDG_STATE_HOME to directories you own.',
				options,
			);
		}

		default: {
			return new EnvironmentError(
				`lp-onboard cannot ${action} ${path} (${error.code}: ${error.message}).`,
				'Check the path and its permissions, then run it again.',
				options,
			);
		}
	}
}

/** Runs `work` and rethrows its file-system errors through `fsError`. */
export async function onPath<T>(path: string, action: FsAction, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw fsError(error, path, action);
	}
}

function existingAncestor(path: string): string {
	let directory = dirname(path);
	while (!existsSync(directory) && dirname(directory) !== directory) {
		directory = dirname(directory);
	}

	return directory;
}

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
	return error instanceof Error && 'code' in error;
}
