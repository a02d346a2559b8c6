import {HttpError, LpError, MissingInputError, exitCodes} from '../errors.js';
import type {AgentGroup, Auth, Domains, LoginBody, NewUser, Profile, Session, User} from '../liveperson/types.js';
import {loginKeyOf, loginMethodOf, loginRefusedHint, splitKeys, type Credentials} from '../liveperson/credentials.js';
import {authorizerOf} from './authorize.js';
import {keepAliveIntervalMs} from './keep-alive.js';
import {back, backChoice, backValue, type Back} from './navigation.js';
import {isDone, type WizardState} from './profile-state.js';
import {stepInfo} from './steps.js';
import type {BotUserResult, Dependencies, LoginMethod} from './types.js';

export const defaultBotName = 'lp-onboard-bot';

/** Users API `loginName`: kept to a safe subset (no spaces, no quotes). */
export function validateLoginName(value: string): true | string {
	return /^[\w.@-]{1,100}$/.test(value) || 'Letters, digits, ".", "@", "_" and "-" only.';
}

export const loginMethodLabels: Record<LoginMethod, string> = {
	'api-key': 'the credentials (bot user)',
	password: 'a username and password',
};

/**
The entity for a bot user that logs in with the credentials (docs/liveperson-api.md §4: userTypeId 2, isApiUser,
allowedAppKeys: the app key, or an OAuth 2.0 client's client id; which field ties a bot to a client id is not
documented). Its profile is one of the account's Agent-role profiles and, as the Users API requires of an agent, it is a
member of an agent group.
*/
export function botUserEntity(
	loginName: string,
	appKey: string,
	{profileId, agentGroupId}: {profileId: number; agentGroupId: number},
): NewUser {
	return {
		loginName,
		fullName: 'lp-onboard bot',
		nickname: 'lp-onboard bot',
		email: `${loginName.replaceAll('@', '.')}@example.com`,
		isEnabled: true,
		maxChats: 0,
		profileIds: [profileId],
		memberOf: {agentGroupId},
		userTypeId: 2,
		isApiUser: true,
		allowedAppKeys: appKey,
	};
}

/** Profiles API role type of an agent. */
export const agentRoleTypeId = 2;

/**
The account's Agent-role profile (the first one, by id, that is not deleted) and its root agent group (the only group
without a parent, per the Agent Groups API appendix). Profile ids are per account: there is no fixed "Agent profile id".
*/
export function pickBotPlacement(
	accountId: string,
	profiles: readonly Profile[],
	groups: readonly AgentGroup[],
): {profileId: number; agentGroupId: number} {
	const agent = profiles
		.filter(profile => profile.roleTypeId === agentRoleTypeId && !profile.deleted)
		.sort((a, b) => a.id - b.id)[0];
	if (!agent) {
		throw new LpError(`Account ${accountId} has no profile with the Agent role, and a bot user needs one.`, {
			hint: 'In Conversational Cloud, open Users → Profiles and add a profile with the Agent role (or ask an admin), then re-run the wizard.',
		});
	}

	const usable = groups.filter(group => !group.deleted && group.isEnabled);
	const group = usable.find(candidate => candidate.parentGroupId === null) ?? usable.sort((a, b) => a.id - b.id)[0];
	if (!group) {
		throw new LpError(`Account ${accountId} has no enabled agent group, and a bot user with the Agent role must belong to one.`, {
			hint: 'In Conversational Cloud, open Users → Agent groups and enable (or add) a group, then re-run the wizard.',
		});
	}

	return {profileId: agent.id, agentGroupId: group.id};
}

/**
Step 4: who the tool logs in as. With an API key: finds or creates the bot user the key may log in as. Then logs in,
refreshes once to prove the keep-alive works, and logs out.
*/
export async function botUserStep(
	deps: Dependencies,
	wizard: WizardState,
	{accountId, domains, credentials, force = false}: {
		accountId: string;
		domains: Domains;
		credentials: Credentials;
		force?: boolean;
	},
): Promise<BotUserResult | Back> {
	const {prompter, ui, api, signal, secrets, interactive} = deps;
	const state = wizard.profile;
	const auth = {authorizer: authorizerOf(deps, accountId, domains, credentials)};
	const done = !force
		&& isDone(state, 'bot-user')
		&& [undefined, state.botLoginName].includes(prompter.preset?.('bot-login-name'))
		&& [undefined, state.loginMethod].includes(loginMethodOf(prompter.preset?.('login-method')) as LoginMethod | undefined);
	// Not marked done in the header: that is known only once the Users API has answered.
	ui.step(stepInfo('bot-user'));
	// A re-run asks the Users API whether the user is still there; a bot that is gone is created again, unasked.
	let redo: {loginName: string; loginMethod: 'api-key'; users: User[]} | undefined;
	if (done && state.botLoginName && state.loginMethod) {
		const {botLoginName: loginName, loginMethod} = state;
		const users = await ui.task(`Checking that ${loginName} still exists (Users API)`, async () => api.listUsers(accountId, domains, auth, {signal}));
		const user = users.find(candidate => candidate.loginName === loginName);
		if (user && (loginMethod === 'password' || mayLogInWithKey(user, loginKeyOf(credentials)))) {
			ui.alreadyDone(`${loginName} logs in with ${loginMethodLabels[loginMethod]}.`);
			return {loginName, loginMethod, isAdmin: undefined, created: false, alreadyDone: true};
		}

		if (loginMethod === 'api-key') {
			// A user that is there but lost the key falls through to findOrCreateBot, which says what to fix.
			if (!user) {
				ui.warn(`The bot user ${loginName} is gone on LivePerson; creating it again.`);
			}

			redo = {loginName, loginMethod, users};
		} else {
			ui.warn(`The user ${loginName} is gone on LivePerson; choose how lp-onboard logs in.`);
		}
	}

	const chosen = redo?.loginMethod ?? await prompter.select<LoginMethod | typeof backValue>({
		id: 'login-method',
		message: 'How should lp-onboard log in to LivePerson?',
		choices: [
			{value: 'api-key', aliases: ['credentials'], name: 'As a bot user, with these credentials (recommended)'},
			{value: 'password', name: 'With a username and password'},
			...(interactive ? [backChoice] : []),
		],
		default: 'api-key',
	});
	if (chosen === backValue) {
		return back;
	}

	const loginMethod: LoginMethod = chosen;
	let login: LoginBody;
	let created = false;
	let password: string | undefined;
	if (loginMethod === 'api-key') {
		const loginName = redo?.loginName ?? (await prompter.text({
			id: 'bot-login-name',
			message: 'Login name of the bot user',
			default: defaultBotName,
			validate: value => validateLoginName(value.trim()),
		})).trim();
		const valid = validateLoginName(loginName);
		if (valid !== true) {
			throw new LpError(`"${loginName}" is not a usable login name.`, {hint: `${valid} Pass another --bot-name.`});
		}

		const ours = state.botLoginName === loginName;
		created = await findOrCreateBot(deps, {accountId, domains, credentials, auth, loginName, known: redo?.users, ours});
		login = {username: loginName, credentials};
	} else {
		const username = (await prompter.text({id: 'username', message: 'LivePerson username', validate: value => value.trim() !== '' || 'Required.'})).trim();
		password = await prompter.secret({id: 'password', message: `Password of ${username}`, validate: value => value !== '' || 'Required.'});
		login = {username, password};
	}

	let session: Session;
	try {
		session = await ui.task(`Logging in as ${login.username}`, async () => api.login(accountId, domains, login, {signal}));
	} catch (error) {
		if (error instanceof HttpError && error.status === 401) {
			throw new HttpError(`LivePerson refused the login of ${login.username} (HTTP 401).`, 401, {
				cause: error,
				hint: loginMethod === 'api-key'
					? `${loginRefusedHint(login.username, credentials)} The account needs the "User Type – Bot" feature for bot logins `
						+ '(LivePerson support or your account manager turns it on).'
					: 'Check the username and password (LP_USERNAME / --username and LP_PASSWORD).',
			});
		}

		throw error;
	}

	try {
		await ui.task('Refreshing the session (keep-alive)', async () => api.refresh(session, domains, {signal}));
	} finally {
		await ui.task('Logging out', async () => api.logout(session, domains, {signal}));
	}

	// What this login's `sessionTTl` said, not a fixed 8 hours.
	const lasts = Math.max(1, Math.round((session.expiresAt - deps.clock.now()) / 60_000));
	ui.info(
		`This login lasts ${lasts % 60 === 0 ? `${lasts / 60} hours` : `${lasts} minutes`} (its sessionTTl). Long-running clients keep it alive with POST /refresh `
		+ `(the csrf and the Session_id cookie) every ${keepAliveIntervalMs / 60_000} minutes, and log in again on a 401.`,
	);
	if (password !== undefined) {
		await secrets.set({profile: deps.profile, accountId, name: 'password'}, password);
	}

	await wizard.record({botLoginName: login.username, loginMethod}, 'bot-user');
	return {loginName: login.username, loginMethod, isAdmin: session.isAdmin, created, alreadyDone: false};
}

async function findOrCreateBot(
	deps: Dependencies,
	{accountId, domains, credentials, auth, loginName, known, ours}: {
		accountId: string;
		domains: Domains;
		credentials: Credentials;
		auth: Auth;
		loginName: string;
		known?: User[];
		/** The bot this profile made or took before: lp-onboard may add its new credentials to it, with consent. */
		ours: boolean;
	},
): Promise<boolean> {
	const {ui, api, signal} = deps;
	const appKey = loginKeyOf(credentials);
	// `known`: the users a re-run's check has just listed.
	const users: User[] = known ?? await ui.task(`Looking for the bot user ${loginName}`, async () => api.listUsers(accountId, domains, auth, {signal}));
	const existing = users.find(user => user.loginName === loginName);
	if (!existing) {
		const placement = await ui.task('Reading the account\'s Agent profile and agent group', async () => {
			const [profiles, groups] = await Promise.all([
				api.listProfiles(accountId, domains, auth, {signal}),
				api.listAgentGroups(accountId, domains, auth, {signal}),
			]);
			return pickBotPlacement(accountId, profiles, groups);
		});
		try {
			await ui.task(`Creating the bot user ${loginName}`, async () => api.createUser(accountId, domains, auth, botUserEntity(loginName, appKey, placement), {signal}));
			return true;
		} catch (error) {
			// Another run (a second terminal, a teammate) may have created it since the list: a login name is unique, so the
			// refusal is then the answer. Look once more before reporting the refusal.
			const now = error instanceof HttpError && error.status !== undefined && error.status >= 400 && error.status < 500
				? (await api.listUsers(accountId, domains, auth, {signal})).find(user => user.loginName === loginName)
				: undefined;
			if (!now || !mayLogInWithKey(now, appKey)) {
				throw error;
			}

			ui.info(`Found the bot user ${loginName} (id ${now.id}), created meanwhile by another run.`);
			return false;
		}
	}

	if (!mayLogInWithKey(existing, appKey)) {
		const what = credentials.kind === 'oauth2' ? 'client id' : 'API key';
		if (ours && isBot(existing) && await consents(deps, `${loginName} does not list this ${what} in its allowedAppKeys. Add it (Users API)?`)) {
			await ui.task(`Adding the ${what} to ${loginName}'s allowed keys`, async () => api.allowUserKey(accountId, domains, auth, existing.id, appKey, {signal}));
			return false;
		}

		throw new LpError(`The user ${loginName} exists but may not log in with this ${what}.`, {
			hint: ours && isBot(existing)
				? `Let lp-onboard add the ${what} to its allowedAppKeys (run it in a terminal, or pass --yes), do it in User Management, or choose another name with --bot-name.`
				: `In User Management, make it a bot user whose allowedAppKeys lists this ${what}, or choose another name with --bot-name.`,
			exitCode: exitCodes.usage,
		});
	}

	ui.info(`Found the bot user ${loginName} (id ${existing.id}).`);
	return false;
}

/** Asked at a terminal (Yes by default); without one, only `--yes` consents. */
async function consents(deps: Dependencies, message: string): Promise<boolean> {
	try {
		return await deps.prompter.confirm({id: 'allow-bot-key', message, default: true});
	} catch (error) {
		if (error instanceof MissingInputError) {
			return false;
		}

		throw error;
	}
}

/** A bot or API user (userTypeId 2 or isApiUser): one that logs in with a key rather than a password. */
function isBot(user: User): boolean {
	return user.isApiUser === true || user.userTypeId === 2;
}

/** A bot user whose allowedAppKeys lists this key: what a login with the credentials needs. */
function mayLogInWithKey(user: User, appKey: string): boolean {
	return isBot(user) && splitKeys(user.allowedAppKeys).includes(appKey);
}
