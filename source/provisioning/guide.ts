import type {Prompter} from '../prompts/prompter.js';
import type {Sandbox} from '../sandbox/server.js';
import type {UiBlock} from '../ui/ui.js';
import type {ProvisioningGuide, UiStep} from './provision.js';

/**
The sandbox's stand-in for the LivePerson Functions UI: a page per account whose form does what the admin's click does
in the real UI (V1: agree to the terms of use; V2: start provisioning). Present only with an in-process sandbox.
*/
export type FunctionsUiPort = {
	url(accountId: string): string;
	/** What the page's form does, on the user's behalf. */
	accept(accountId: string): Promise<void>;
	/** The sandbox's demo admin login, offered instead of typing it. */
	demoAdmin?(accountId: string): {readonly username: string; readonly password: string} | undefined;
};

/** The port for an in-process sandbox (`--sandbox`): its page per account, its form's effect, its demo admin. */
export function sandboxFunctionsUi(sandbox: Sandbox): FunctionsUiPort {
	const accounts: Readonly<Record<string, {
		readonly admin: {readonly loginName: string; readonly password: string};
	} | undefined>> = sandbox.demo.accounts;
	return {
		url: accountId => sandbox.functionsUiUrl(accountId),
		accept: async accountId => sandbox.acceptFunctionsUi(accountId),
		demoAdmin(accountId) {
			const admin = accounts[accountId]?.admin;
			return admin && {username: admin.loginName, password: admin.password};
		},
	};
}

const doneQuestion = {
	1: 'Signed in and agreed to the terms of use in the Functions UI?',
	2: 'Triggered the provisioning in the Functions UI?',
} as const;

/**
Guides an admin at a terminal through the Functions UI step. With the sandbox's page it offers to accept on the user's
behalf with one key, saying that this stands in for the click in the real UI. `ask: false` (`--yes`, or no terminal)
never asks: the sandbox's page is accepted, the real UI is left to the report (`pendingUi`), and a Functions that has
not answered within its budget stays unconfirmed.
*/
export function createProvisioningGuide(
	{prompter, openUrl, functionsUi, ask}: {
		prompter: Prompter; openUrl: (url: string) => Promise<boolean>; functionsUi?: FunctionsUiPort; ask: boolean;
	},
): ProvisioningGuide {
	const show = (step: UiStep, ui: UiBlock) => {
		ui.info([
			`LivePerson provisions Functions (V${step.version}) from its Functions UI, not from an API. As its docs say:`,
			...step.steps.map((text, index) => `  ${index + 1}. ${text}`),
			functionsUi ? `  On the sandbox, its stand-in page: ${step.url}` : `  ${step.url}`,
			'lp-onboard then watches for Functions to answer and does what has an API itself.',
		].join('\n'));
	};

	return {
		async start(step, ui) {
			show(step, ui);
			if (functionsUi) {
				const accept = async () => {
					ui.info('Accepting on your behalf in the sandbox\'s Functions UI page: this stands in for your click in the real UI.');
					await functionsUi.accept(step.accountId);
					return true;
				};

				if (!ask) {
					return accept();
				}

				const choice = await prompter.select({
					id: 'functions-ui',
					message: 'The sandbox serves a stand-in for the Functions UI:',
					choices: [
						{value: 'accept', name: 'Accept on my behalf (stands in for the click in the real UI)'},
						{value: 'open', name: 'Open the sandbox\'s Functions UI page in the browser'},
						{value: 'later', name: 'Later'},
					],
					default: 'accept',
				});
				if (choice === 'accept') {
					return accept();
				}

				if (choice === 'later') {
					return false;
				}
			}

			if (!ask) {
				return false;
			}

			const opened = await openUrl(step.url);
			ui.info(opened ? `Opened ${step.url} in your browser.` : `Open ${step.url} in a browser.`);
			return prompter.confirm({id: 'functions-ui-done', message: doneQuestion[step.version], default: true});
		},
		async confirmDone(step) {
			return ask && prompter.confirm({
				id: 'functions-ui-done',
				message: `LivePerson Functions has not answered for ${step.accountId} yet. Does the Functions UI show provisioning finished?`,
				default: false,
			});
		},
	};
}
