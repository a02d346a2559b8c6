// Shell completion scripts for bash, zsh and fish, written from the same declarations as the parser and the help
// (commands.ts): the commands, each command's own options beside the global ones, and the values an option knows.
// The scripts are static: completing never runs lp-onboard.
import {commands, type CommandSpec, globalOptions, type OptionSpec, type Options, specs} from './commands.js';

export const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

const named = commands.filter(name => name !== 'wizard');

/** Every spelling of each option of a command, global ones included. */
function spellings(options: Options): string[] {
	return Object.entries(options).flatMap(([long, spec]) => [`--${long}`, ...(spec.short ? [`-${spec.short}`] : [])]);
}

/** Options with known values (a list or files), by every spelling, across all commands. */
function valued(): Array<{names: string[]; complete: OptionSpec['complete']}> {
	const seen = new Map<string, OptionSpec>();
	for (const command of commands) {
		for (const [long, spec] of Object.entries({...globalOptions, ...specs[command].options} as Options)) {
			if (spec.type === 'string') {
				seen.set(long, spec);
			}
		}
	}

	return [...seen].map(([long, spec]) => ({names: [`--${long}`, ...(spec.short ? [`-${spec.short}`] : [])], complete: spec.complete}));
}

const single = (text: string) => `'${text.replaceAll('\'', '\'\\\'\'')}'`;

function bash(): string {
	const cases = commands.map(command => {
		const spec: CommandSpec = specs[command];
		const label = command === 'wizard' ? '""' : command;
		return `\t\t${label}) options=${single(spellings(spec.options).join(' '))}; args=${single((spec.words ?? []).join(' '))} ;;`;
	});
	const values = valued().map(({names, complete}) => {
		const reply = complete === 'file'
			? 'COMPREPLY=($(compgen -f -- "$cur"))'
			: `COMPREPLY=($(compgen -W ${single((complete ?? []).join(' '))} -- "$cur"))`;
		return `\t\t${names.join('|')}) ${reply}; return ;;`;
	});
	return `# lp-onboard completion for bash. Load it with: source <(lp-onboard completion bash)
_lp_onboard() {
	local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="" i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case "\${COMP_WORDS[i]}" in
			${named.join('|')}) [ -z "$command" ] && command="\${COMP_WORDS[i]}" ;;
		esac
	done
	case "$prev" in
${values.join('\n')}
	esac
	local options args global=${single(spellings(globalOptions).join(' '))}
	case "$command" in
${cases.join('\n')}
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
	elif [ -z "$command" ]; then
		COMPREPLY=($(compgen -W ${single(named.join(' '))} -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$args" -- "$cur"))
	fi
}
complete -o default -F _lp_onboard lp-onboard
`;
}

/** zsh's `_describe` entries: `name:description`, a colon in the name escaped. */
function described(options: Options): string {
	return Object.entries(options)
		.flatMap(([long, spec]) => [`--${long}`, ...(spec.short ? [`-${spec.short}`] : [])].map(name => single(`${name}:${spec.help}`)))
		.join(' ');
}

function zsh(): string {
	const cases = commands.map(command => {
		const spec: CommandSpec = specs[command];
		const words = (spec.words ?? []).map(word => single(word)).join(' ');
		return `\t\t(${command === 'wizard' ? '""' : command}) options=(${described(spec.options)}); args=(${words}) ;;`;
	});
	const values = valued().map(({names, complete}) => {
		const reply = complete === 'file' ? '_files' : `compadd -- ${(complete ?? []).map(value => single(value)).join(' ')}`;
		return `\t\t(${names.join('|')}) ${reply}; return ;;`;
	});
	const commandList = named.map(name => single(`${name}:${specs[name].summary}`)).join(' ');
	return `# lp-onboard completion for zsh. Load it with: source <(lp-onboard completion zsh)
_lp_onboard() {
	local -a options args global
	local command="" i
	for ((i = 2; i < CURRENT; i++)); do
		case "\${words[i]}" in
			(${named.join('|')}) [[ -z $command ]] && command="\${words[i]}" ;;
		esac
	done
	case "\${words[CURRENT-1]}" in
${values.join('\n')}
	esac
	global=(${described(globalOptions)})
	case "$command" in
${cases.join('\n')}
	esac
	if [[ "\${words[CURRENT]}" == -* ]]; then
		options+=($global)
		_describe -t options option options
	elif [[ -z $command ]]; then
		local -a list=(${commandList})
		_describe -t commands command list
	elif (( \${#args} )); then
		compadd -- $args
	else
		_files
	fi
}
if ! (( $+functions[compdef] )); then
	autoload -Uz compinit && compinit -u
fi
compdef _lp_onboard lp-onboard
`;
}

function fishOption(condition: string, long: string, spec: OptionSpec): string {
	const names = `${spec.short ? `-s ${spec.short} ` : ''}-l ${long}`;
	const value = spec.type === 'boolean'
		? ''
		: (spec.complete === 'file' ? ' -r -F' : ` -x${spec.complete ? ` -a ${single(spec.complete.join(' '))}` : ''}`);
	return `complete -c lp-onboard -n ${single(condition)} ${names}${value} -d ${single(spec.help)}`;
}

function fish(): string {
	const notYet = `not __fish_seen_subcommand_from ${named.join(' ')}`;
	const lines = [
		'# lp-onboard completion for fish. Load it with: lp-onboard completion fish | source',
		'complete -c lp-onboard -f',
		...named.map(name => `complete -c lp-onboard -n ${single(notYet)} -a ${name} -d ${single(specs[name].summary)}`),
		...Object.entries(globalOptions as Options).map(([long, spec]) => fishOption('true', long, spec)),
	];
	for (const command of commands) {
		const spec: CommandSpec = specs[command];
		const condition = command === 'wizard' ? notYet : `__fish_seen_subcommand_from ${command}`;
		lines.push(...Object.entries(spec.options).map(([long, option]) => fishOption(condition, long, option)));
		if (spec.words) {
			lines.push(`complete -c lp-onboard -n ${single(condition)} -a ${single(spec.words.join(' '))}`);
		}
	}

	return `${lines.join('\n')}\n`;
}

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
	return {bash, zsh, fish}[shell]();
}
