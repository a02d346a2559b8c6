/** Edits (insert, delete, change, swap two neighbours) that turn `a` into `b`: the optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : (j === 0 ? i : 0))));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const change = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + change);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			rows[i]![j] = best;
		}
	}

	return rows[a.length]![b.length]!;
}

/**
The candidate `word` was most likely meant as, for "did you mean": within a third of its length in edits (at least one),
or one that starts with it; undefined when nothing is that close.
*/
export function closest(word: string, candidates: readonly string[]): string | undefined {
	const lower = word.toLowerCase();
	const limit = Math.max(1, Math.floor(lower.length / 3));
	let found: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = candidate.startsWith(lower) && lower.length >= 2 ? 0.5 : editDistance(lower, candidate.toLowerCase());
		if (distance <= limit && (!found || distance < found.distance)) {
			found = {candidate, distance};
		}
	}

	return found?.candidate;
}
