import {parseAccountId} from '../account-id.js';
import {UsageError} from '../errors.js';

function splitCsvLine(line: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let index = 0; index < line.length; index++) {
		const char = line[index]!;
		if (quoted) {
			if (char === '"' && line[index + 1] === '"') {
				cell += '"';
				index++;
			} else if (char === '"') {
				quoted = false;
			} else {
				cell += char;
			}
		} else if (char === '"') {
			quoted = true;
		} else if (char === ',' || char === ';' || char === '\t') {
			cells.push(cell.trim());
			cell = '';
		} else {
			cell += char;
		}
	}

	cells.push(cell.trim());
	return cells;
}

/**
Reads an `--accounts FILE`: one account id a line, or CSV (separated by commas, semicolons or tabs, as spreadsheets
export it) whose header names an `account` / `accountId` column (else the first column is used, so `1;x` reads as `1`). Blank lines and `#` comments are skipped and duplicates dropped, keeping the first.
*/
export function parseAccountsFile(text: string): string[] {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((raw, index) => ({number: index + 1, text: raw.replace(/(^|\s)#.*$/, '').trim()}))
		.filter(line => line.text !== '');
	let column = 0;
	const first = lines[0];
	if (first) {
		const cells = splitCsvLine(first.text).map(cell => cell.toLowerCase().replaceAll(/[\s_-]/g, ''));
		const named = cells.findIndex(cell => cell === 'account' || cell === 'accountid');
		if (named !== -1) {
			column = named;
			lines.shift();
		} else if (cells.length > 1 && !/\d/.test(cells[0]!)) {
			// A header row without an account column (its first cell has no digit, an id would): the ids are in the first column.
			lines.shift();
		}
	}

	const ids: string[] = [];
	const seen = new Set<string>();
	for (const line of lines) {
		const id = splitCsvLine(line.text)[column] ?? '';
		parseAccountId(id, `Line ${line.number} of the accounts file`);

		if (!seen.has(id)) {
			seen.add(id);
			ids.push(id);
		}
	}

	if (ids.length === 0) {
		throw new UsageError('The accounts file lists no account ids.', 'Put one account id a line, or a CSV with an "account" column.');
	}

	return ids;
}
