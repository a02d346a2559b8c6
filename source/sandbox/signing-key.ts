import {createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomBytes} from 'node:crypto';
import {linkSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {promisify} from 'node:util';

const generateRsa = promisify(generateKeyPair);

/** Sentinel's signing key as the sandbox models it: one RS256 key, its key id, and the public half as a JWK. */
export type SigningKey = {
	readonly kid: string;
	readonly privateKey: KeyObject;
	readonly publicKey: KeyObject;
	/** The public key as a JWK with `kid`, `alg` and `use`, as `/sentinel/well-known/jwks` publishes it. */
	readonly jwk: Readonly<Record<string, string>>;
};

type StoredKey = {readonly kid: string; readonly pem: string};

function fromStored({kid, pem}: StoredKey): SigningKey {
	const privateKey = createPrivateKey(pem);
	const publicKey = createPublicKey(privateKey);
	const {n, e, kty} = publicKey.export({format: 'jwk'});
	return {kid, privateKey, publicKey, jwk: {kty: kty!, n: n!, e: e!, kid, alg: 'RS256', use: 'sig'}};
}

/**
Made off the event loop: a 2048-bit RSA key takes 0.1–0.8 s of CPU, which in-process (a `--sandbox` run, the tests'
worlds) would stall every timer and socket of the process, so a loopback answer could miss a short per-try timeout.
*/
async function generate(): Promise<StoredKey> {
	const {privateKey} = await generateRsa('rsa', {modulusLength: 2048});
	return {kid: `sandbox-${randomBytes(6).toString('hex')}`, pem: privateKey.export({format: 'pem', type: 'pkcs8'}).toString()};
}

/**
The sandbox's Sentinel key. With a state file, the key lives beside it (`<state file>.sentinel-key.json`, mode 0600),
made by whichever process comes first, so every `--sandbox` run and `lp-onboard sandbox` on that state sign and verify
with the same key. It is written under a temporary name and linked into place: a second process racing to make one gets
EEXIST and reads the winner's. Without a state file, a key for this process only.
*/
export async function loadSigningKey(stateFile: string | undefined): Promise<SigningKey> {
	if (stateFile === undefined) {
		return fromStored(await generate());
	}

	const file = `${stateFile}.sentinel-key.json`;
	const read = (): SigningKey | undefined => {
		try {
			const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredKey>;
			return typeof stored.kid === 'string' && typeof stored.pem === 'string' ? fromStored({kid: stored.kid, pem: stored.pem}) : undefined;
		} catch {
			return undefined;
		}
	};

	const existing = read();
	if (existing) {
		return existing;
	}

	const made = await generate();
	mkdirSync(dirname(file), {recursive: true, mode: 0o700});
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	writeFileSync(temporary, JSON.stringify(made), {mode: 0o600});
	try {
		linkSync(temporary, file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}

		// Another process won the race, or the file is unreadable: use what is there, or replace what nobody can use.
		const winner = read();
		if (winner) {
			return winner;
		}

		writeFileSync(file, JSON.stringify(made), {mode: 0o600});
	} finally {
		rmSync(temporary, {force: true});
	}

	return fromStored(made);
}
