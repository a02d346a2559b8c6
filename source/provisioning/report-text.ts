import type {ProvisionReport} from './provision.js';

export type ReportSummary = {
	readonly ok: boolean;
	/** One line: what happened to the account. */
	readonly title: string;
	/**
	What the bars above did not already say: the counts, each distinct error once with its fix, what the UI still needs.
	*/
	readonly lines: readonly string[];
};

/**
The end of a `provision` run for a person: a title and a few lines, drawn wrapped between words under the title at any
width. The bars above already showed every task, so the tasks are not listed again; an error several tasks share (V2's
wait) is said once, with the titles of the tasks it stopped.
*/
export function reportSummary(report: ProvisionReport): ReportSummary {
	const {accountId, version} = report;
	const count = (...statuses: string[]) => report.tasks.filter(task => statuses.includes(task.status)).length;
	const counts = [
		...(count('done') > 0 ? [`${count('done')} done`] : []),
		...(count('skipped') > 0 ? [`${count('skipped')} already done`] : []),
		...(count('pending') > 0 ? [`${count('pending')} to do`] : []),
		...(count('failed') > 0 ? [`${count('failed')} failed`] : []),
		...(count('blocked', 'cancelled') > 0 ? [`${count('blocked', 'cancelled')} not started`] : []),
	].join(', ');
	const errors = new Map<string, {titles: string[]; hint?: string}>();
	for (const task of report.tasks) {
		if (task.error) {
			const entry = errors.get(task.error.message) ?? {titles: [], ...(task.error.hint ? {hint: task.error.hint} : {})};
			entry.titles.push(task.title);
			errors.set(task.error.message, entry);
		}
	}

	const errorLines = [...errors].flatMap(([message, {titles, hint}]) => [
		`${titles.length === 1 ? titles[0] : `${titles.length} tasks`}: ${message}`,
		...(hint ? [`→ ${hint}`] : []),
	]);
	const ui = report.pendingUi
		? [
			`Waiting on the Functions UI step (${report.pendingUi.url}):`,
			...report.pendingUi.steps.map((step, index) => `${index + 1}. ${step}`),
			'Then run the same command again.',
		]
		: [];
	const where = `LivePerson Functions V${version} on ${accountId}`;
	const title = report.dryRun
		? `Dry run, nothing changed: ${where}`
		: (report.ok ? `${where} is provisioned` : (report.pendingUi ? `${where} waits on the Functions UI` : `${where} is not fully provisioned`));
	return {
		ok: report.ok,
		title,
		lines: [
			counts,
			...(report.confirmedByAdmin ? ['The Functions UI step was confirmed by you: Functions had not answered within its budget.'] : []),
			...errorLines,
			...ui,
			...(!report.ok && !report.pendingUi && !report.dryRun ? ['Run the same command again to resume where it stopped.'] : []),
		],
	};
}
