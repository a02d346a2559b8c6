import {useEffect, useState} from 'react';

/**
A frame counter that advances every `tickMs` while `active`, for spinners and elapsed times. The only timer a view
needs; it stops as soon as nothing runs, so a finished phase lets the process exit.
*/
export function useFrame(active: boolean, tickMs: number): number {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		if (!active || tickMs <= 0) {
			return;
		}

		const timer = setInterval(() => {
			setFrame(previous => previous + 1);
		}, tickMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, tickMs]);
	return frame;
}
