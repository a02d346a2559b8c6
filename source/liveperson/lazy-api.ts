import type {LivePersonApiOptions, LivePersonClient} from './api.js';
import type {Domains} from './types.js';


/**
The client, loaded at its first call. undici (and its WebAssembly parser) is then not on the path to the wizard's first
frame, nor loaded at all by commands that end before calling LivePerson. Each method is written out, so the compiler
checks every signature and names any method missing here.
*/
export function createLazyLivePersonApi(options: LivePersonApiOptions): LivePersonClient {
	let client: Promise<LivePersonClient> | undefined;
	const trusted: Domains[] = [];
	const withClient = async <T>(call: (real: LivePersonClient) => Promise<T>): Promise<T> => {
		client ??= import('./api.js').then(({createLivePersonApi}) => {
			const real = createLivePersonApi(options);
			for (const domains of trusted) {
				real.trustDomains(domains);
			}

			return real;
		});
		return call(await client);
	};

	return {
		domains: async (...args) => withClient(async real => real.domains(...args)),
		domain: async (...args) => withClient(async real => real.domain(...args)),
		login: async (...args) => withClient(async real => real.login(...args)),
		token: async (...args) => withClient(async real => real.token(...args)),
		refresh: async (...args) => withClient(async real => real.refresh(...args)),
		logout: async (...args) => withClient(async real => real.logout(...args)),
		listUsers: async (...args) => withClient(async real => real.listUsers(...args)),
		createUser: async (...args) => withClient(async real => real.createUser(...args)),
		allowUserKey: async (...args) => withClient(async real => real.allowUserKey(...args)),
		listProfiles: async (...args) => withClient(async real => real.listProfiles(...args)),
		listAgentGroups: async (...args) => withClient(async real => real.listAgentGroups(...args)),
		probeFunctions: async (...args) => withClient(async real => real.probeFunctions(...args)),
		allowDomain: async (...args) => withClient(async real => real.allowDomain(...args)),
		send: async (...args) => withClient(async real => real.send(...args)),
		trustDomains(domains) {
			// Before the client exists: kept, and handed over when it is made.
			trusted.push(domains);
			void client?.then(real => {
				real.trustDomains(domains);
			});
		},
		async close() {
			if (client) {
				await (await client).close();
			}
		},
	};
}
