/** POSIX shell single quotes: safe to paste whatever the value holds. */
export function shellQuote(value: string): string {
	return `'${value.replaceAll('\'', '\'\\\'\'')}'`;
}
