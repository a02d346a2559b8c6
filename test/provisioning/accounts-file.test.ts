import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {CancelledError, UsageError} from '../../source/errors.js';
import {accountsFileCapBytes, parseAccountsFile, readAccountsFile} from '../../source/provisioning/accounts-file.js';

const valid: Array<{name: string; text: string; ids: string[]}> = [
	{name: 'one id a line', text: '12345678\n87654321\n', ids: ['12345678', '87654321']},
	{name: 'CRLF, blank lines and surrounding spaces', text: '\r\n  12345678 \r\n\r\n87654321\r\n', ids: ['12345678', '87654321']},
	{name: 'comment lines and trailing comments', text: '# production\n12345678 # main\n#87654321\n', ids: ['12345678']},
	{name: 'duplicates keep the first', text: '87654321\n12345678\n87654321\n', ids: ['87654321', '12345678']},
	{name: 'CSV with an account column', text: 'name,account,region\nMain,12345678,us\n"Lab, EU",87654321,eu\n', ids: ['12345678', '87654321']},
	{name: 'CSV with an accountId column', text: 'region;accountId\nus;12345678\n', ids: ['12345678']},
	{name: 'CSV with account_id in any case', text: 'Account_ID,name\n12345678,Main\n', ids: ['12345678']},
	{name: 'CSV without a header uses the first column', text: '12345678,Main\n87654321,Lab\n', ids: ['12345678', '87654321']},
	{name: 'CSV with another header uses the first column', text: 'id,name\n12345678,Main\n', ids: ['12345678']},
	{name: 'quoted ids', text: 'account\n"12345678"\n', ids: ['12345678']},
	{name: 'a byte order mark', text: '\uFEFFaccount\n12345678\n', ids: ['12345678']},
	{name: 'letters and underscores', text: 'le_12345\n', ids: ['le_12345']},
];

for (const {name, text, ids} of valid) {
	test(`parseAccountsFile reads ${name}`, () => {
		assert.deepEqual(parseAccountsFile(text), ids);
	});
}

test('parseAccountsFile tells each duplicate with its line and the line that listed it first', () => {
	const duplicates: unknown[] = [];
	const ids = parseAccountsFile('account\n87654321\n12345678\n# again\n87654321\n87654321\n', duplicate => duplicates.push(duplicate));
	assert.deepEqual(ids, ['87654321', '12345678']);
	assert.deepEqual(duplicates, [{accountId: '87654321', line: 5, firstLine: 2}, {accountId: '87654321', line: 6, firstLine: 2}]);
});

const invalid: Array<{name: string; text: string; message: RegExp}> = [
	{name: 'an id with a dash', text: '12345678\n1234-5678\n', message: /^Line 2 .*"1234-5678"/},
	{name: 'an id too long', text: '# ids\n\n123456789012345678901\n', message: /^Line 3 /},
	{name: 'an empty account cell', text: 'account,name\n,Main\n', message: /^Line 2 .*""/},
	{name: 'a file with comments only', text: '# nothing yet\n\n', message: /no account ids/},
	{name: 'an empty file', text: '', message: /no account ids/},
];

for (const {name, text, message} of invalid) {
	test(`parseAccountsFile rejects ${name} with a UsageError`, () => {
		assert.throws(() => parseAccountsFile(text), (error: unknown) => {
			assert.ok(error instanceof UsageError);
			assert.match(error.message, message);
			assert.ok(error.hint);
			return true;
		});
	});
}

describe('readAccountsFile', () => {
	const scratch = async (t: {after(fn: () => Promise<void>): void}) => {
		const directory = await mkdtemp(join(tmpdir(), 'lp-accounts-'));
		t.after(async () => rm(directory, {recursive: true, force: true}));
		return directory;
	};

	test('reads a file and parses it', async t => {
		const file = join(await scratch(t), 'accounts.csv');
		await writeFile(file, 'account,name\n12345678,Main\n87654321,Lab\n');
		assert.deepEqual(await readAccountsFile(file), ['12345678', '87654321']);
	});

	test('refuses a file over 1 MiB, naming it and the cap, and reads no more than the cap', async t => {
		const file = join(await scratch(t), 'big.txt');
		await writeFile(file, '12345678\n'.repeat(Math.ceil((accountsFileCapBytes + 1) / 9)));
		await assert.rejects(readAccountsFile(file), (error: unknown) => error instanceof UsageError
			&& error.message === `--accounts file ${file} is larger than 1 MiB, the most lp-onboard reads.` && /Split/.test(error.hint!));
		// Exactly at the cap is fine.
		await writeFile(file, `${'12345678\n'.repeat(Math.floor(accountsFileCapBytes / 9))}`.padEnd(accountsFileCapBytes, '\n'));
		assert.equal((await readAccountsFile(file)).length, 1);
	});

	test('refuses /dev/zero at the cap instead of filling memory', async () => {
		await assert.rejects(readAccountsFile('/dev/zero'), (error: unknown) => error instanceof UsageError && /\/dev\/zero is larger than 1 MiB/.test(error.message));
	});

	test('names a missing file and a directory', async t => {
		const directory = await scratch(t);
		await assert.rejects(readAccountsFile(join(directory, 'nope.txt')), (error: unknown) => error instanceof UsageError && /nope\.txt: ENOENT/.test(error.message));
		await assert.rejects(readAccountsFile(directory), (error: unknown) => error instanceof UsageError && /is a directory/.test(error.message));
	});

	test('reads a FIFO once a writer comes, and an abort ends the wait on a FIFO nobody writes', async t => {
		const fifo = join(await scratch(t), 'accounts.fifo');
		execFileSync('mkfifo', [fifo]);
		const reading = readAccountsFile(fifo);
		await writeFile(fifo, '12345678\n87654321\n');
		assert.deepEqual(await reading, ['12345678', '87654321']);

		const controller = new AbortController();
		const waiting = readAccountsFile(fifo, {signal: controller.signal});
		setImmediate(() => {
			controller.abort();
		});
		await assert.rejects(waiting, CancelledError);
	});
});
