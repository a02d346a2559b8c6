import {exitCodes} from '../errors.js';
import {columns, wrapWords} from '../ui/text.js';
import {type RunCommand, result} from './command.js';
export type CheckResult = {
	readonly name: string;
	readonly ok: boolean;
	readonly detail: string;
	/** What to do when the check fails. */
	readonly fix?: string;
};

export type DoctorProbes = {
	readonly nodeVersion: string;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly csdsUrl: string;
	/** Resolves when a keychain answers; rejects with the reason (an LpError with a hint) when none does. */
	probeKeychain(): Promise<void>;
	/** The server's Date header (ms since the epoch) from one GET to the CSDS host, and how long it took. */
	serverDate(url: string): Promise<{date: number | undefined; ms: number}>;
	now(): number;
};

const minimumNode = [20, 18, 1] as const;

function atLeast(version: string, minimum: readonly number[]): boolean {
	const parts = version.replace(/^v/, '').split('.').map(Number);
	for (const [index, wanted] of minimum.entries()) {
		const have = parts[index] ?? 0;
		if (have !== wanted) {
			return have > wanted;
		}
	}

	return true;
}

/**
Runs the doctor's checks one after another; each says what it found and, when it failed, the fix. Never throws.
*/
export async function runDoctor(probes: DoctorProbes): Promise<CheckResult[]> {
	const results: CheckResult[] = [];
	const nodeOk = atLeast(probes.nodeVersion, minimumNode);
	results.push({
		name: 'Node.js',
		ok: nodeOk,
		detail: probes.nodeVersion,
		fix: nodeOk ? undefined : `Install Node.js ${minimumNode.join('.')} or newer (https://nodejs.org).`,
	});

	try {
		await probes.probeKeychain();
		results.push({name: 'OS keychain', ok: true, detail: 'answers'});
	} catch (error) {
		const {message, hint} = error as {message: string; hint?: string};
		results.push({name: 'OS keychain', ok: false, detail: message, fix: hint});
	}

	const proxy = probes.env['HTTPS_PROXY'] ?? probes.env['https_proxy'];
	const noProxy = probes.env['NO_PROXY'] ?? probes.env['no_proxy'];
	let proxyOk = true;
	let proxyDetail = 'none (direct connection)';
	if (proxy) {
		try {
			const url = new URL(proxy);
			proxyDetail = `${url.protocol}//${url.host}${noProxy ? `, NO_PROXY=${noProxy}` : ''}`;
		} catch {
			proxyOk = false;
			proxyDetail = 'HTTPS_PROXY is not a URL';
		}
	}

	results.push({name: 'Proxy', ok: proxyOk, detail: proxyDetail, fix: proxyOk ? undefined : 'Set HTTPS_PROXY to a URL like http://proxy.example.com:3128, or unset it.'});

	try {
		const before = probes.now();
		const {date, ms} = await probes.serverDate(probes.csdsUrl);
		results.push({name: 'CSDS reachable', ok: true, detail: `${probes.csdsUrl} answered in ${ms} ms`});
		if (date === undefined) {
			results.push({name: 'Clock', ok: false, detail: 'the server sent no Date header', fix: 'Check the clock by hand: OAuth 1.0 signatures are refused when it is off by more than 5 minutes.'});
		} else {
			// The Date header has one-second resolution; compare with the middle of the request.
			const skew = Math.round((before + (ms / 2) - date) / 1000);
			const ok = Math.abs(skew) < 60;
			results.push({
				name: 'Clock',
				ok,
				detail: `${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} the server`,
				fix: ok ? undefined : 'Turn on network time (e.g. `timedatectl set-ntp true`): signed calls fail when the clock is 5 minutes off.',
			});
		}
	} catch (error) {
		results.push({
			name: 'CSDS reachable',
			ok: false,
			detail: (error as Error).message,
			fix: proxy ? 'Check that the proxy in HTTPS_PROXY is up and allows api.liveperson.net.' : 'Check your network; behind a proxy, set HTTPS_PROXY.',
		});
	}

	return results;
}

/** One line per check and fix; with `width` (stdout is a terminal), broken between words, the rest under the text. */
export function formatDoctor(results: readonly CheckResult[], width?: number): string[] {
	return results.flatMap(({name, ok, detail, fix}) => [
		...hanging(`${ok ? '✔' : '✖'} `, `${name}: ${detail}`, width),
		...(fix && !ok ? hanging('  → ', fix, width) : []),
	]);
}

function hanging(lead: string, text: string, width: number | undefined): string[] {
	if (width === undefined) {
		return [lead + text];
	}

	const indent = ' '.repeat(columns(lead));
	return wrapWords(text, Math.max(20, width - indent.length)).map((line, index) => (index === 0 ? lead : indent) + line);
}

/** `lp-onboard doctor`: every check with its fix; exit 11 when one fails. */
export const run: RunCommand = async f => {
	const network = await f.network();
	const results = await runDoctor({
		nodeVersion: f.nodeVersion,
		env: f.env,
		csdsUrl: network.csdsUrl,
		async probeKeychain() {
			const [{createKeychainStore}, {configSecretIndex}] = await Promise.all([import('../secrets/keytar-store.js'), import('../config/config-store.js')]);
			await createKeychainStore({index: configSecretIndex(f.config), env: f.env, nodePath: f.nodePath});
		},
		async serverDate(url) {
			const {fetchServerDate} = await import('../liveperson/dispatcher.js');
			return fetchServerDate(
				url,
				{proxy: network.proxy, resolveSandboxHosts: network.local, timeoutMs: network.timeoutMs, signal: f.signal},
			);
		},
		now: () => f.clock.now(),
	});
	return result(
		formatDoctor(results, f.io.columns),
		results,
		results.every(check => check.ok) ? exitCodes.ok : exitCodes.checkFailed,
	);
};
