import type {TaskState, TaskStatus} from '../tasks/task-runner.js';

/**
What the views draw as one bar: a task, or a wait that several tasks share (`Task.wait`: LivePerson finishes them
together, so separate bars would only move together). A wait's state is its members' taken together; its members are
listed under it.
*/
export type Unit = {readonly state: TaskState; readonly members?: readonly TaskState[]};

/** The status a wait shows: the first of these that any member has. */
const precedence: readonly TaskStatus[] = ['running', 'failed', 'cancelled', 'blocked', 'pending', 'done', 'skipped'];

function together(wait: string, members: readonly TaskState[]): TaskState {
	const [first] = members as [TaskState, ...TaskState[]];
	const status = precedence.find(candidate => members.some(member => member.status === candidate)) ?? first.status;
	const lead = members.find(member => member.status === status) ?? first;
	const starts = members.flatMap(member => (member.startedAt === undefined ? [] : [member.startedAt]));
	const ends = members.flatMap(member => (member.endedAt === undefined ? [] : [member.endedAt]));
	const details = new Set(members.map(member => member.detail));
	const detail = status === 'running' ? lead.detail : (details.size === 1 ? first.detail : lead.detail);
	const retry = members.find(member => member.retry)?.retry;
	const error = members.find(member => member.error)?.error;
	return {
		id: first.id,
		title: wait,
		status,
		progress: Math.min(...members.map(member => member.progress)),
		attempts: Math.max(...members.map(member => member.attempts)),
		...(starts.length > 0 ? {startedAt: Math.min(...starts)} : {}),
		...(ends.length === members.length ? {endedAt: Math.max(...ends)} : {}),
		...(detail === undefined ? {} : {detail}),
		...(retry ? {retry} : {}),
		...(error ? {error} : {}),
	};
}

/** The tasks as drawn: consecutive tasks with the same `wait` become one unit. */
export function displayUnits(tasks: readonly TaskState[]): Unit[] {
	const units: Unit[] = [];
	for (let index = 0; index < tasks.length;) {
		const task = tasks[index]!;
		let end = index + 1;
		while (task.wait !== undefined && end < tasks.length && tasks[end]!.wait === task.wait) {
			end++;
		}

		const members = tasks.slice(index, end);
		units.push(task.wait === undefined || members.length === 1
			? {state: task}
			: {state: together(task.wait, members), members});
		index = end;
	}

	return units;
}
