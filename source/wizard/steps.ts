/**
The wizard's steps, in order. `run-wizard.ts` is the only file that knows the order; this is what headers and the
summary show.
*/
export const steps = [
	{id: 'account', title: 'LivePerson account', name: 'Account'},
	{id: 'domains', title: 'Service domains', name: 'Domains'},
	{id: 'api-key', title: 'Credentials', name: 'Credentials'},
	{id: 'bot-user', title: 'Bot user', name: 'Bot user'},
	{id: 'provisioning', title: 'LivePerson Functions', name: 'Functions'},
	{id: 'summary', title: 'Summary', name: 'Summary'},
] as const;

export type StepId = (typeof steps)[number]['id'];

/** The `{index, total, title, names}` for `ui.step()`: "Step 2 of 6 · Service domains" and the stepper's names. */
export function stepInfo(id: StepId): {index: number; total: number; title: string; names: readonly string[]} {
	const index = steps.findIndex(step => step.id === id);
	return {index: index + 1, total: steps.length, title: steps[index]!.title, names: steps.map(step => step.name)};
}
