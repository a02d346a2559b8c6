import type {LivePersonApiOptions, LivePersonClient} from './api.js';
import type {LivePersonApi} from './types.js';

export {defaultCsdsUrl} from './endpoints.js';

// Every method of the port; `satisfies` makes the compiler name any method this list misses.
const methods = {
	domains: true,
	domain: true,
	login: true,
	refresh: true,
	logout: true,
	listUsers: true,
	createUser: true,
	listProfiles: true,
	listAgentGroups: true,
	probeFunctions: true,
	allowDomain: true,
} as const satisfies Record<keyof LivePersonApi, true>;

/**
The client, loaded at its first call. undici (and its WebAssembly parser) is then not on the path to the wizard's first
frame, nor loaded at all by commands that end before calling LivePerson.
*/
export function createLazyLivePersonApi(options: LivePersonApiOptions): LivePersonClient {
	let client: Promise<LivePersonClient> | undefined;
	const load = async () => {
		client ??= import('./api.js').then(({createLivePersonApi}) => createLivePersonApi(options));
		return client;
	};

	const api = Object.fromEntries(Object.keys(methods).map(name => [
		name,
		async (...args: unknown[]) => {
			const real = await load();
			return (real[name as keyof LivePersonApi] as (...parameters: unknown[]) => Promise<unknown>)(...args);
		},
	])) as unknown as LivePersonApi;
	return {
		...api,
		send: async call => (await load()).send(call),
		async close() {
			if (client) {
				await (await client).close();
			}
		},
	};
}
