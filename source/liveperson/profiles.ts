// Profiles API and Agent Groups API reads (host accountConfigReadOnly, `v=4.0`): what the bot user's `profileIds` and
// `memberOf` need. Sources in docs/contract.md.
import {assertAccountId, expectArray, isRecord, optionalString, serviceUrl, type ServiceContext} from './service.js';
import {malformedError} from './http.js';
import type {AgentGroup, Auth, CallOptions, Domains, Profile} from './types.js';

const hints = {
	401: 'Check the four API key values (or sign in again), then re-run the wizard. With an API key, also check the computer\'s clock.',
} as const;

async function read(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	auth: Auth,
	path: string,
	what: string,
	hint403: string,
	options: CallOptions,
) {
	assertAccountId(accountId);
	const url = serviceUrl(context, domains, 'accountConfigReadOnly', `/api/account/${accountId}/configuration/le-users/${path}?v=4.0`, what);
	const {status, body} = await context.http.send({method: 'GET', url, what, auth, hints: {...hints, 403: hint403}, signal: options.signal});
	return expectArray(body, what, status).map(entry => {
		const id = isRecord(entry) ? optionalString(entry.id) : undefined;
		// Signed: LivePerson's own examples give the "Main Group" the id -1.
		if (!isRecord(entry) || id === undefined || !/^-?\d+$/.test(id)) {
			throw malformedError(what, 'an entry without a numeric id', status);
		}

		return {entry, id: Number(id)};
	});
}

/** Profiles API "Get all profiles": `roleTypeId` 1 Admin, 2 Agent, 3 Agent Manager, 4 Campaign Manager, 5 LPA. */
export async function listProfiles(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	auth: Auth,
	options: CallOptions = {},
): Promise<Profile[]> {
	const rows = await read(context, accountId, domains, auth, 'profiles', `Reading the profiles of account ${accountId}`,
		'The API key needs the Administration → Profiles read permission (or sign in as an account administrator).', options);
	return rows.map(({entry, id}) => ({
		id,
		name: optionalString(entry.name) ?? '',
		roleTypeId: Number(entry.roleTypeId),
		deleted: entry.deleted === true || entry.deleted === 'true',
	}));
}

/** Agent Groups API "Get all agent groups": the root group is the only one whose `parentGroupId` is null. */
export async function listAgentGroups(
	context: ServiceContext,
	accountId: string,
	domains: Domains,
	auth: Auth,
	options: CallOptions = {},
): Promise<AgentGroup[]> {
	const rows = await read(context, accountId, domains, auth, 'agentGroups', `Reading the agent groups of account ${accountId}`,
		'The API key needs the Administration → Agent Groups read permission (or sign in as an account administrator).', options);
	return rows.map(({entry, id}) => {
		const parent = optionalString(entry.parentGroupId);
		return {
			id,
			name: optionalString(entry.name) ?? '',
			parentGroupId: parent === undefined ? null : Number(parent),
			isEnabled: entry.isEnabled !== false && entry.isEnabled !== 'false',
			deleted: entry.deleted === true || entry.deleted === 'true',
		};
	});
}
