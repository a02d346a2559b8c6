import {randomBytes} from 'node:crypto';

/** Time and randomness that tests pin. */
export type Clock = {
	/** Milliseconds since the epoch. */
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/** OAuth nonce. */
	nonce(): string;
};

export const systemClock: Clock = {
	now: () => Date.now(),
	async sleep(ms, signal) {
		const {setTimeout} = await import('node:timers/promises');
		await setTimeout(ms, undefined, {signal});
	},
	nonce: () => randomBytes(16).toString('hex'),
};
