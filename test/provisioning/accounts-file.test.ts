import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UsageError} from '../../source/errors.js';
import {parseAccountsFile} from '../../source/provisioning/accounts-file.js';

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
