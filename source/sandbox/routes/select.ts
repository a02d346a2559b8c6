/**
The `select` query of the account configuration APIs (Users, Skills): "Response field filter expression", top-level
field names separated by commas. `select=a,b` keeps those fields of each entity; `$all`, or no `select` where the
method's default is all fields (`fallback` undefined), keeps everything.
*/
export function selected(
	entity: Record<string, unknown>,
	select: string | null,
	fallback?: readonly string[],
): Record<string, unknown> {
	const named = select?.trim() === '$all' ? undefined : select?.split(',').map(field => field.trim());
	const fields = select === null ? fallback : named;
	const copy = structuredClone(entity);
	return fields ? Object.fromEntries(fields.filter(field => field in copy).map(field => [field, copy[field]])) : copy;
}
