import {lookup as dnsLookup, type LookupAddress, type LookupOptions} from 'node:dns';
import {Agent, Client, type Dispatcher, EnvHttpProxyAgent, request} from 'undici';

/** Proxy settings, as cli.tsx reads them from `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. */
export type ProxyOptions = {
	readonly httpsProxy?: string;
	readonly httpProxy?: string;
	readonly noProxy?: string;
};

export type DispatcherOptions = {
	readonly proxy?: ProxyOptions;
	/**
	Connect every `*.sandbox.test` host to 127.0.0.1 (like curl's `--connect-to`); Host header and signed URL keep the
	name.
	*/
	readonly resolveSandboxHosts?: boolean;
	/** @default 10000 */
	readonly timeoutMs?: number;
};

/** True for hosts the sandbox hands out (`.test` is a reserved TLD, RFC 2606). */
export function isSandboxHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === 'sandbox.test' || host.endsWith('.sandbox.test');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `net.connect` lookup that answers 127.0.0.1 for sandbox hosts, in both the single and the `all: true` form. */
export function sandboxLookup(
	hostname: string,
	options: LookupOptions | number | undefined,
	callback: LookupCallback,
): void {
	const lookupOptions: LookupOptions = typeof options === 'number' ? {family: options} : (options ?? {});
	if (isSandboxHost(hostname)) {
		if (lookupOptions.all) {
			callback(null, [{address: '127.0.0.1', family: 4}]);
		} else {
			callback(null, '127.0.0.1', 4);
		}

		return;
	}

	dnsLookup(hostname, {...lookupOptions, all: true}, (error, addresses) => {
		if (error) {
			callback(error, []);
		} else if (lookupOptions.all) {
			callback(null, addresses);
		} else {
			callback(null, addresses[0]!.address, addresses[0]!.family);
		}
	});
}

/** The one keep-alive dispatcher the client uses: an Agent, or an EnvHttpProxyAgent when a proxy is set. */
export function createDispatcher({proxy, resolveSandboxHosts, timeoutMs = 10_000}: DispatcherOptions = {}): Dispatcher {
	const connect = resolveSandboxHosts ? {lookup: sandboxLookup} : undefined;
	if (proxy?.httpsProxy || proxy?.httpProxy) {
		// Empty strings, not undefined: EnvHttpProxyAgent would read process.env for a missing value.
		return new EnvHttpProxyAgent({
			httpsProxy: proxy.httpsProxy ?? '',
			httpProxy: proxy.httpProxy ?? '',
			noProxy: proxy.noProxy ?? '',
			connect,
			// undici 7 sends the proxy's CONNECT without the request's abort signal and with a 5-minute default timeout,
			// so a proxy that accepts and never answers would hang every call. Bound it like any other request.
			clientFactory: (origin: URL, options: object) => new Client(
				origin,
				{...options, headersTimeout: timeoutMs, bodyTimeout: timeoutMs},
			),
		});
	}

	return new Agent({connect});
}

/**
One plain GET to learn the server's clock (its `Date` header) and the round trip, for `doctor`. Same proxy and sandbox
rules as the client; no retries: the doctor reports what it sees.
*/
export async function fetchServerDate(
	url: string,
	options: Pick<DispatcherOptions, 'proxy' | 'resolveSandboxHosts'> & {timeoutMs?: number; signal?: AbortSignal} = {},
): Promise<{date: number | undefined; ms: number}> {
	const dispatcher = createDispatcher(options);
	const start = Date.now();
	try {
		const timeout = AbortSignal.timeout(options.timeoutMs ?? 5000);
		const response = await request(url, {
			method: 'GET',
			dispatcher,
			signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
		});
		await response.body.dump();
		const date = response.headers['date'];
		return {date: typeof date === 'string' ? Date.parse(date) : undefined, ms: Date.now() - start};
	} finally {
		await dispatcher.destroy();
	}
}
