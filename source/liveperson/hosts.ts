import {isIPv4} from 'node:net';

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const bareHost = new RegExp(`^${label}(?:\\.${label})*\\.?(?::\\d{1,5})?$`);

/**
True for a bare `host[:port]` as CSDS lists it (`va.agentvep.liveperson.net`): no scheme, user name or password, path,
query, fragment or whitespace, and a port from 1 to 65535. Anything else is not used as a host, whoever says so.
*/
export function isBareHost(value: string): boolean {
	if (value.length > 260 || !bareHost.test(value)) {
		return false;
	}

	const port = /:(\d+)$/.exec(value)?.[1];
	return port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
}

/** `localhost`, 127.0.0.0/8 and ::1 (a URL's hostname spells it `[::1]`): hosts on this machine. */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === 'localhost' || host === '[::1]' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

/**
Hosts plain http may go to: this machine, and the names RFC 2606 and 6761 reserve for tests (`*.test`, `*.invalid`,
`*.localhost`), which no public DNS ever answers: the sandbox hands out `*.sandbox.test`, and a test environment reached
through a proxy uses such names. Everything else needs https.
*/
export function mayUsePlainHttp(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return isLoopbackHost(host) || /\.(?:test|invalid|localhost)$/.test(host);
}

/** A host:port pair, the port '' for "the scheme's default". */
type HostEntry = {readonly hostname: string; readonly port: string};

const defaultPorts: Readonly<Record<string, string>> = {'https:': '443', 'http:': '80'};

function parseEntry(value: string): HostEntry | undefined {
	const bracketed = /^(\[[\d:a-f.]+\])(?::(\d{1,5}))?$/i.exec(value);
	if (bracketed) {
		return {hostname: bracketed[1]!.toLowerCase(), port: bracketed[2] ?? ''};
	}

	if (!isBareHost(value)) {
		return undefined;
	}

	const [hostname, port = ''] = value.toLowerCase().replace(/\.(?=:|$)/, '').split(':') as [string, string?];
	return {hostname, port};
}

/**
The hosts that may receive credentials: those CSDS listed for the account (live or cached) and those the user named with
`--send-credentials-to`. The HTTP client asks it before it authorizes any request.
*/
export type CredentialHosts = {
	/** Adds hosts CSDS listed; a value that is not a bare `host[:port]` is ignored (it was never a LivePerson host). */
	trust(hosts: Iterable<string>): void;
	/** Whether a request to `url` may carry credentials. */
	allows(url: URL): boolean;
};

export function createCredentialHosts(named: readonly string[] = []): CredentialHosts {
	const entries: HostEntry[] = [];
	const add = (hosts: Iterable<string>) => {
		for (const host of hosts) {
			const entry = parseEntry(host);
			if (entry) {
				entries.push(entry);
			}
		}
	};

	add(named);
	return {
		trust: add,
		allows(url) {
			const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
			const port = url.port || defaultPorts[url.protocol] || '';
			return entries.some(entry => entry.hostname === hostname
				&& (entry.port === '' ? url.port === '' : entry.port === port));
		},
	};
}

/**
Why a request to `url` may not carry credentials, or undefined when it may: `host`, a host that is neither the
account's (CSDS) nor named with --send-credentials-to; `plain-http`, http to a host outside this machine and the test
names. The one rule for what the client sends and for the Bearer token `auth header` prints.
*/
export function credentialsRefused(hosts: CredentialHosts, url: URL): 'host' | 'plain-http' | undefined {
	if (!hosts.allows(url)) {
		return 'host';
	}

	return url.protocol !== 'https:' && !mayUsePlainHttp(url.hostname) ? 'plain-http' : undefined;
}
