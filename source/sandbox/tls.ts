import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {access, mkdtemp, readFile, rename, rm, writeFile} from 'node:fs/promises';
import {isIP} from 'node:net';
import {join} from 'node:path';
import {EnvironmentError} from '../errors.js';
import {ensurePrivateDirectory} from '../config/directories.js';
import {exclusive} from '../config/json-file.js';

/** What the TLS server needs, and where the CA a client must trust is. */
export type SandboxCertificate = {
	/** The sandbox's own CA certificate (PEM), kept between runs: `NODE_EXTRA_CA_CERTS`, `curl --cacert`. */
	readonly caFile: string;
	readonly key: string;
	readonly cert: string;
};

/** The names every sandbox certificate carries: the loopback address it listens on, and the names for it. */
export const loopbackNames = ['127.0.0.1', 'localhost', '::1'] as const;

export type SandboxTlsOptions = {
	/** Names the certificate carries besides `loopbackNames` (a test pointing a LivePerson host name at the sandbox). */
	readonly extraNames?: readonly string[];
	/** Where to find openssl (the caller's PATH). */
	readonly searchPath?: string;
};

const defaultSearchPath = '/usr/local/bin:/usr/bin:/bin';

/** The CA's file names in the state directory. */
export const caFileName = 'sandbox-ca.pem';
const caKeyFileName = 'sandbox-ca-key.pem';

/**
A server certificate for this run, signed by the sandbox's CA in `directory` (made by the system's openssl on first use,
then kept, so the one `NODE_EXTRA_CA_CERTS` a developer sets keeps working). The certificate carries `loopbackNames` and
`extraNames`; its key lives in memory only. Several processes starting at once make one CA: its creation holds the file's lock.
*/
export async function sandboxCertificate(directory: string, options: SandboxTlsOptions = {}): Promise<SandboxCertificate> {
	const {extraNames = [], searchPath = defaultSearchPath} = options;
	const openssl = async (args: readonly string[]) => runOpenssl(args, searchPath);
	await ensurePrivateDirectory(directory);
	const caFile = join(directory, caFileName);
	const caKeyFile = join(directory, caKeyFileName);
	await exclusive(caFile, async () => {
		if (!(await exists(caFile) && await exists(caKeyFile))) {
			await makeCa(directory, caFile, caKeyFile, openssl);
		}
	});
	const scratch = await mkdtemp(join(directory, '.sandbox-tls-'));
	try {
		const names = [...new Set([...loopbackNames, ...extraNames])];
		const subjectAltName = names.map(name => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
		await writeFile(join(scratch, 'ext.cnf'), [
			`subjectAltName=${subjectAltName}`,
			'basicConstraints=critical,CA:FALSE',
			'keyUsage=critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			'',
		].join('\n'));
		await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
			'-keyout', join(scratch, 'key.pem'), '-out', join(scratch, 'csr.pem'), '-subj', '/CN=lp-onboard sandbox']);
		await openssl(['x509', '-req', '-in', join(scratch, 'csr.pem'), '-CA', caFile, '-CAkey', caKeyFile,
			'-set_serial', `0x${randomBytes(12).toString('hex')}`, '-days', '30', '-sha256',
			'-extfile', join(scratch, 'ext.cnf'), '-out', join(scratch, 'cert.pem')]);
		const [key, cert] = await Promise.all([readFile(join(scratch, 'key.pem'), 'utf8'), readFile(join(scratch, 'cert.pem'), 'utf8')]);
		return {caFile, key, cert};
	} finally {
		await rm(scratch, {recursive: true, force: true});
	}
}

async function makeCa(directory: string, caFile: string, caKeyFile: string, openssl: (args: readonly string[]) => Promise<void>): Promise<void> {
	const scratch = await mkdtemp(join(directory, '.sandbox-ca-'));
	try {
		await openssl(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
			'-keyout', join(scratch, 'key.pem'), '-out', join(scratch, 'ca.pem'), '-days', '3650', '-sha256',
			'-subj', `/CN=lp-onboard sandbox CA ${randomBytes(4).toString('hex')}`,
			'-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
		// The key first: a CA file without its key would be taken as complete by the next run.
		await rename(join(scratch, 'key.pem'), caKeyFile);
		await rename(join(scratch, 'ca.pem'), caFile);
	} finally {
		await rm(scratch, {recursive: true, force: true});
	}
}

async function runOpenssl(args: readonly string[], searchPath: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		// No shell, a fixed environment: openssl reads no config of the user's that could change what it makes.
		execFile('openssl', args, {env: {PATH: searchPath}, timeout: 30_000}, (error, _stdout, stderr) => {
			if (!error) {
				resolve();
				return;
			}

			const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
			reject(new EnvironmentError(
				missing ? 'The sandbox needs the openssl command for --tls, and it is not on PATH.' : `openssl failed making the sandbox's certificate: ${String(stderr).trim().split('\n')[0] ?? error.message}`,
				missing ? 'Install OpenSSL (apt install openssl, brew install openssl), or run the sandbox without --tls.' : 'Run the sandbox without --tls, or check the openssl install.',
				{cause: error},
			));
		});
	});
}

async function exists(path: string): Promise<boolean> {
	try {
		await access(path);
		return true;
	} catch {
		return false;
	}
}
