import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** Why a test that mounts a tmpfs (a full disk) cannot run here, or false when it can: it needs root and a mount that works. */
export const mountSkip: string | false = await (async () => {
	if (process.getuid?.() !== 0) {
		return 'needs root to mount a tmpfs';
	}

	const probe = await mkdtemp(join(tmpdir(), 'lp-mount-probe-'));
	try {
		await run('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe]);
		await run('umount', [probe]);
		return false;
	} catch {
		return 'mount is not permitted here';
	} finally {
		await rm(probe, {recursive: true, force: true});
	}
})();
