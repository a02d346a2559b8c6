import {useEffect, useState} from 'react';

/**
A frame counter that advances every `tickMs` while `active`, for spinners and elapsed times. The only timer a view
needs; it stops as soon as nothing runs, so a finished phase lets the process exit. `beforeTick` runs before each
advance.
*/
export function useFrame(active: boolean, tickMs: number, beforeTick?: () => void): number {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		if (!active || tickMs <= 0) {
			return;
		}

		const timer = setInterval(() => {
			beforeTick?.();
			setFrame(previous => previous + 1);
		}, tickMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, tickMs, beforeTick]);
	return frame;
}
