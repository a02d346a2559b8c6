import type {Task} from './types.js';

/** Throws when ids repeat, a task needs an unknown id, or the needs form a cycle. */
export function validateGraph(tasks: readonly Task[]): void {
	const byId = new Map<string, Task>();
	for (const task of tasks) {
		if (byId.has(task.id)) {
			throw new Error(`Task id "${task.id}" is used twice.`);
		}

		byId.set(task.id, task);
	}

	for (const task of tasks) {
		for (const need of task.needs ?? []) {
			if (!byId.has(need)) {
				throw new Error(`Task "${task.id}" needs "${need}", which is not a task.`);
			}
		}
	}

	// Depth-first search; a task met again while it is still on the path closes a cycle.
	const visited = new Set<string>();
	const path: string[] = [];
	const visit = (task: Task) => {
		const index = path.indexOf(task.id);
		if (index !== -1) {
			throw new Error(`Tasks depend on each other in a cycle: ${[...path.slice(index), task.id].join(' → ')}.`);
		}

		if (visited.has(task.id)) {
			return;
		}

		path.push(task.id);
		for (const need of task.needs ?? []) {
			visit(byId.get(need)!);
		}

		path.pop();
		visited.add(task.id);
	};

	for (const task of tasks) {
		visit(task);
	}
}
