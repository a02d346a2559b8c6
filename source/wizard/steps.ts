/** The wizard's steps, in order. `run-wizard.ts` is the only file that knows the order; this is what headers and the summary show. */
export const steps = [
	{id: 'account', title: 'LivePerson account'},
	{id: 'domains', title: 'Service domains'},
	{id: 'api-key', title: 'API key'},
	{id: 'bot-user', title: 'Bot user'},
	{id: 'provisioning', title: 'LivePerson Functions'},
	{id: 'summary', title: 'Summary'},
] as const;

export type StepId = (typeof steps)[number]['id'];

/** The `{index, total, title}` for `ui.step()`: "Step 2 of 6 · Service domains". */
export function stepInfo(id: StepId): {index: number; total: number; title: string} {
	const index = steps.findIndex(step => step.id === id);
	return {index: index + 1, total: steps.length, title: steps[index]!.title};
}
