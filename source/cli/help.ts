// The help pages, drawn from the declarations in commands.ts. Every line fits 80 columns: a terminal wraps a longer one
// mid-word. An example too long for one line goes on with a backslash, so it still runs as pasted.
import {type Command, commands, type CommandSpec, type Example, globalOptions, type Options, specs} from './commands.js';

const width = 80;
const optionColumn = 26;

/** Words of `text` in lines of at most `room` characters (a longer word stands alone). */
function wrap(text: string, room: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line !== '' && line.length + 1 + word.length > room) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	return line === '' ? lines : [...lines, line];
}

function optionLines(options: Options): string[] {
	return Object.entries(options).flatMap(([long, spec]) => {
		const names = `${spec.short ? `-${spec.short}, ` : ''}--${long}${spec.value ? ` ${spec.value}` : ''}`;
		const [first = '', ...more] = wrap(spec.help, width - optionColumn);
		const pad = ' '.repeat(optionColumn);
		const head = names.length + 2 <= optionColumn - 2 ? [`  ${names.padEnd(optionColumn - 2)}${first}`] : [`  ${names}`, `${pad}${first}`];
		return [...head, ...more.map(line => `${pad}${line}`)];
	});
}

/** One example: its comment, then the command, continued with ` \` where it would pass 80 columns. */
function exampleLines({comment, command}: Example): string[] {
	const comments = wrap(comment, width - 4).map(line => `  # ${line}`);
	// An option stays on one line with its value.
	const words = (command.match(/(?:'[^']*'|\S)+/g) ?? []).reduce<string[]>((units, word) => {
		const last = units.at(-1);
		return last?.startsWith('-') && !last.includes(' ') && !word.startsWith('-') ? [...units.slice(0, -1), `${last} ${word}`] : [...units, word];
	}, []);
	const lines: string[] = [];
	let line = '  $';
	for (const word of words) {
		if (line.length + 1 + word.length > width - 2 && line.trim() !== '$') {
			lines.push(`${line} \\`);
			line = '     ';
		}

		line = `${line} ${word}`;
	}

	return [...comments, ...lines, line];
}

function examples(list: readonly Example[]): string[] {
	return list.flatMap((example, index) => [...(index > 0 ? [''] : []), ...exampleLines(example)]);
}

function section(title: string, lines: readonly string[]): string[] {
	return lines.length === 0 ? [] : ['', title, ...lines];
}

const exitCodes = [
	'Exit codes',
	'  0 done · 1 unexpected error (a bug)',
	'  2 bad usage or input (api: any other 4xx) · 3 missing input (no terminal)',
	'  4 authentication refused (401/403) · 5 network or LivePerson server error',
	'  6 keychain unavailable · 7 provisioning partly failed',
	'  8 refused (not an admin, nothing changed)',
	'  9 local environment (HOME, files, disk, port)',
	'  10 provisioning waits on the Functions UI · 11 doctor: a check failed',
	'  130 cancelled (Ctrl-C, SIGTERM, SIGHUP)',
];

const secrets = wrap(
	'Secrets are never accepted as flags: use the environment, --stdin, or the prompt. Without a terminal (or with CI=true) '
	+ 'nothing is asked: a missing value is an error naming its flag.',
	width,
);

/** `lp-onboard --help` and `lp-onboard help`: every command, the wizard's options, the global ones, the exit codes. */
export function globalHelp(): string {
	const usage = commands.flatMap(name => {
		const spec: CommandSpec = specs[name];
		return [`  $ lp-onboard ${spec.usage}`, ...wrap(spec.summary, width - 6).map(text => `      ${text}`)];
	});
	return [
		'lp-onboard — from a new LivePerson account to a signed API call, and',
		'Functions provisioning',
		...section('Usage', usage),
		...section('Wizard options', optionLines(specs.wizard.options)),
		...section('Global options (every command)', optionLines(globalOptions)),
		...section('Examples', examples(specs.wizard.examples)),
		'',
		...wrap('Run lp-onboard help COMMAND (or lp-onboard COMMAND --help) for its options and examples.', width),
		'',
		...secrets,
		'',
		...exitCodes,
		'',
	].join('\n');
}

/** `lp-onboard COMMAND --help` and `lp-onboard help COMMAND`: that command alone. */
export function commandHelp(command: Command): string {
	if (command === 'wizard') {
		return globalHelp();
	}

	const spec: CommandSpec = specs[command];
	return [
		...wrap(`lp-onboard ${command} — ${spec.summary}`, width),
		...section('Usage', [`  $ lp-onboard ${spec.usage}`]),
		...(spec.about ?? []).flatMap(paragraph => ['', ...wrap(paragraph, width - 2).map(line => `  ${line}`)]),
		...section('Options', optionLines(spec.options)),
		...section('Global options', wrap(Object.keys(globalOptions).map(name => `--${name}`).join(', '), width - 2).map(line => `  ${line}`)),
		...section('Examples', examples(spec.examples)),
		'',
		...wrap('Global options are explained in lp-onboard --help.', width),
		'',
	].join('\n');
}
