import {
	type Engine, isRecord, lpError, parseJson, type SandboxResponse,
} from '../http.js';
import type {RouteContext, RouteEntry} from '../router.js';
import type {AccountState, StoredSkill} from '../state.js';
import {selected} from './select.js';
import {forWrite, refusal} from './users.js';

/**
Skills API (docs/contract.md "Skills API"): list, get, create, update and delete skills, with the Users API's
authentication and the account's revision (`If-Match` / `ac-revision`). A deleted skill stays, `deleted: true`, seen
only with `include_deleted=true` (the Skills API appendix).
*/
export const skillsRoutes: readonly RouteEntry[] = [
	{method: 'GET', path: /^\/configuration\/le-users\/skills$/, name: 'skills.list', handle: listSkills},
	{method: 'POST', path: /^\/configuration\/le-users\/skills$/, name: 'skills.create', handle: createSkills},
	{method: 'GET', path: /^\/configuration\/le-users\/skills\/([^/]+)$/, name: 'skills.get', handle: getSkill},
	{method: 'PUT', path: /^\/configuration\/le-users\/skills\/([^/]+)$/, name: 'skills.update', handle: updateSkill},
	{method: 'DELETE', path: /^\/configuration\/le-users\/skills\/([^/]+)$/, name: 'skills.delete', handle: deleteSkill},
];

/** What a list shows without `select` (get-all-skills.md: "Default value: id,deleted,name"). */
const defaultListFields = ['id', 'deleted', 'name'];

const revisionHeaders = (account: AccountState) => ({'ac-revision': String(account.revision)});

function listSkills({engine, request, account}: RouteContext): SandboxResponse {
	const refused = refusal(engine, request, account);
	if (refused) {
		return refused;
	}

	// The appendix: an If-Match that names the current revision answers 304 Not Modified.
	if (request.headers['if-match']?.replaceAll('"', '').trim() === String(account!.revision)) {
		return {status: 304, headers: revisionHeaders(account!)};
	}

	const withDeleted = request.searchParams.get('include_deleted') === 'true';
	const skills = account!.skills.filter(skill => withDeleted || !skill.deleted);
	const select = request.searchParams.get('select');
	const json = skills.map(skill => selected(skill, select, defaultListFields));
	return {status: 200, headers: revisionHeaders(account!), json};
}

type OneSkill = {skill: StoredSkill; account: AccountState} | {refused: SandboxResponse};

function oneSkill({engine, request, account, params: [id]}: RouteContext): OneSkill {
	const refused = refusal(engine, request, account);
	if (refused) {
		return {refused};
	}

	const withDeleted = request.searchParams.get('include_deleted') === 'true';
	const skill = account!.skills.find(candidate => String(candidate.id) === id && (withDeleted || !candidate.deleted));
	const missing = () => lpError(engine, 404, `Skill ${id!} does not exist in account ${account!.accountId}.`, 404);
	return skill ? {skill, account: account!} : {refused: missing()};
}

function getSkill(context: RouteContext): SandboxResponse {
	const one = oneSkill(context);
	if ('refused' in one) {
		return one.refused;
	}

	const json = selected(one.skill, context.request.searchParams.get('select'));
	return {status: 200, headers: revisionHeaders(one.account), json};
}

function createSkills({engine, request, account}: RouteContext): SandboxResponse {
	const refused = refusal(engine, request, account);
	if (refused) {
		return refused;
	}

	const body = parseJson(request.body);
	const entities = Array.isArray(body) ? body : [body];
	if (entities.length === 0) {
		return lpError(engine, 400, 'The body must be a skill object or a non-empty array of skills.', 400);
	}

	const created: StoredSkill[] = [];
	for (const [index, entity] of entities.entries()) {
		const where = Array.isArray(body) ? ` (item ${index})` : '';
		const problem = skillProblem(account!, entity, [...account!.skills, ...created], undefined);
		if (problem) {
			return lpError(engine, 400, `${problem}${where}`, 400);
		}

		created.push(newSkill(engine, entity as Record<string, unknown>, nextSkillId(account!, created)));
	}

	account!.skills.push(...created);
	account!.revision++;
	const headers: Record<string, string> = revisionHeaders(account!);
	if (!Array.isArray(body)) {
		headers['location'] = `/api/account/${account!.accountId}/configuration/le-users/skills/${created[0]!.id}`;
	}

	const answer = created.map(skill => structuredClone(skill));
	return {status: 201, headers, json: Array.isArray(body) ? answer : answer[0]};
}

/** PUT: the whole entity, as on create; `id` stays. */
function updateSkill(context: RouteContext): SandboxResponse {
	const {engine, request} = context;
	const one = forWrite(engine, request, oneSkill(context));
	if ('refused' in one) {
		return one.refused;
	}

	const {skill, account} = one;

	const entity = parseJson(request.body);
	const problem = skillProblem(account, entity, account.skills, skill);
	if (problem) {
		return lpError(engine, 400, problem, 400);
	}

	const updated = newSkill(engine, entity as Record<string, unknown>, skill.id);
	account.skills.splice(account.skills.indexOf(skill), 1, updated);
	account.revision++;
	return {status: 200, headers: revisionHeaders(account), json: structuredClone(updated)};
}

function deleteSkill(context: RouteContext): SandboxResponse {
	const {engine, request} = context;
	const one = forWrite(engine, request, oneSkill(context));
	if ('refused' in one) {
		return one.refused;
	}

	const {skill, account} = one;

	skill.deleted = true;
	skill['dateUpdated'] = dateUpdated(engine);
	account.revision++;
	return {status: 200, headers: revisionHeaders(account), json: structuredClone(skill)};
}

/** The appendix's required fields and references; undefined when `entity` may be stored. */
function skillProblem(
	account: AccountState,
	entity: unknown,
	others: readonly StoredSkill[],
	self: StoredSkill | undefined,
): string | undefined {
	if (!isRecord(entity)) {
		return 'Each skill must be a JSON object.';
	}

	const {name} = entity;
	if (typeof name !== 'string' || name.trim() === '') {
		return 'Field name is required and must be a non-empty string.';
	}

	if (others.some(skill => skill !== self && !skill.deleted && skill.name.toLowerCase() === name.toLowerCase())) {
		return `A skill named ${name} already exists.`;
	}

	for (const field of ['skillOrder', 'maxWaitTime', 'wrapUpTime'] as const) {
		if (entity[field] !== undefined && !Number.isInteger(entity[field])) {
			return `Field ${field} must be an integer.`;
		}
	}

	const routing = entity['skillRoutingConfiguration'];
	if (routing === undefined) {
		return undefined;
	}

	if (!Array.isArray(routing)) {
		return 'Field skillRoutingConfiguration must be an array.';
	}

	for (const entry of routing) {
		const groupId = isRecord(entry) ? Number(entry['agentGroupId']) : Number.NaN;
		if (!isRecord(entry) || typeof entry['priority'] !== 'number' || typeof entry['splitPercentage'] !== 'number') {
			return 'Each skillRoutingConfiguration entry needs agentGroupId, priority and splitPercentage.';
		}

		if (!account.agentGroups.some(group => group.id === groupId)) {
			return `Agent group ${String(entry['agentGroupId'])} does not exist in account ${account.accountId}.`;
		}
	}

	return undefined;
}

/**
The stored skill: the appendix's defaults (maxWaitTime 120, canTransfer and fallbackWhenAllAgentsAreAway true),
read-only fields set.
*/
function newSkill(engine: Engine, entity: Record<string, unknown>, id: number): StoredSkill {
	const {id: _id, deleted: _deleted, ...fields} = structuredClone(entity);
	return {
		maxWaitTime: 120,
		canTransfer: true,
		fallbackWhenAllAgentsAreAway: true,
		...fields,
		id,
		name: entity['name'] as string,
		deleted: false,
		dateUpdated: dateUpdated(engine),
	};
}

function nextSkillId(account: AccountState, created: readonly StoredSkill[]): number {
	return [...account.skills, ...created].reduce((highest, skill) => Math.max(highest, skill.id), 0) + 1;
}

/** The appendix's format: `year-month-date hrs:min:sec`. */
function dateUpdated(engine: Engine): string {
	return new Date(engine.serverNow()).toISOString().slice(0, 19).replace('T', ' ');
}
