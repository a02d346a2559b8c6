// Preloaded into lpf's process (`node --import tsx --import lpf-shim.ts …/bin/run`): lpf calls CSDS at the fixed
// https://api.liveperson.net, so this shim connects that one host to the sandbox at 127.0.0.1:$LPF_SHIM_PORT, like curl's
// --connect-to. The TLS check is untouched: the name stays api.liveperson.net (SNI and the certificate, which the test's
// sandbox carries), trusted through NODE_EXTRA_CA_CERTS. Every other host but loopback is refused, so lpf's update check
// (npm's registry) never leaves the machine. lpf's own code is not changed.
import net from 'node:net';
import tls from 'node:tls';

const port = Number(process.env['LPF_SHIM_PORT']);
const redirected = 'api.liveperson.net';
const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

type Target = {host?: string | null; port?: number | string | null; servername?: string};

/** Where the connection really goes: the sandbox for api.liveperson.net, loopback as asked, nowhere (port 9 refused) else. */
function target(options: Target): Target {
	const host = options.host ?? 'localhost';
	if (host === redirected) {
		return {...options, host: '127.0.0.1', port, servername: redirected};
	}

	return loopback.has(host) ? options : {...options, host: '127.0.0.1', port: 9};
}

const tlsConnect = tls.connect.bind(tls) as (options: Target) => tls.TLSSocket;
(tls as {connect: unknown}).connect = (options: Target, ...rest: unknown[]) => (tlsConnect as (...args: unknown[]) => tls.TLSSocket)(
	typeof options === 'object' ? target(options) : options,
	...rest,
);
const netConnect = net.connect.bind(net) as (...args: unknown[]) => net.Socket;
const patchedNet = (options: unknown, ...rest: unknown[]) => netConnect(typeof options === 'object' && options !== null ? target(options) : options, ...rest);
(net as {connect: unknown}).connect = patchedNet;
(net as {createConnection: unknown}).createConnection = patchedNet;
