import {useCallback, useSyncExternalStore} from 'react';
import type {TaskRunner} from '../../tasks/task-runner.js';
import {TaskList} from './task-list.js';
import {useFrame} from './use-frame.js';

export type TasksViewProps = {
	readonly runner: TaskRunner;
	/** The clock the runner uses, so elapsed times agree with its `startedAt`. */
	readonly now: () => number;
	/**
	How often the spinner and the elapsed times of running tasks move, in ms. 0 stops the timer.

	@default 80
	*/
	readonly tickMs?: number;
	/**
	At most one redraw per this many ms for store changes (the store itself reports every change). 0 redraws on every change.

	@default 50
	*/
	readonly throttleMs?: number;
	readonly barWidth?: number;
};

/** Calls `listener` at once, then at most once per `ms` while changes keep coming, and once more after the last one. */
function throttled(subscribe: (listener: () => void) => () => void, ms: number) {
	return (listener: () => void) => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		let dirty = false;
		const fire = () => {
			dirty = false;
			listener();
			timer = setTimeout(() => {
				timer = undefined;
				if (dirty) {
					fire();
				}
			}, ms);
		};

		const unsubscribe = subscribe(() => {
			if (timer === undefined) {
				fire();
			} else {
				dirty = true;
			}
		});
		return () => {
			clearTimeout(timer);
			unsubscribe();
		};
	};
}

/** Live view of a task runner: reads its store and redraws on changes and on a tick while tasks run. */
export function TasksView({runner, now, tickMs = 80, throttleMs = 50, barWidth}: TasksViewProps) {
	const subscribe = useCallback(
		(listener: () => void) => (throttleMs > 0 ? throttled(runner.subscribe, throttleMs)(listener) : runner.subscribe(listener)),
		[runner, throttleMs],
	);
	const snapshot = useSyncExternalStore(subscribe, runner.getSnapshot);
	const ticking = tickMs > 0 && snapshot.endedAt === undefined && snapshot.tasks.some(task => task.status === 'running');
	const frame = useFrame(ticking, tickMs);

	return <TaskList tasks={snapshot.tasks} now={now()} frame={frame} barWidth={barWidth} />;
}
