import { getTableColumns, type SQL, sql, type Table } from "drizzle-orm";

/**
 * D1 refuses SQL functions called with more than 32 arguments (local SQLite
 * does not, so only production would fail). A `json_object` of more pairs is
 * therefore built as a `json_array` of objects of at most this many pairs,
 * which `fromJsonChunks` merges back; nulls survive, unlike with `json_patch`.
 */
const MAX_PAIRS_PER_CALL = 16;

/** `json_object` of `[key, value]` pairs, split into chunks when D1's argument limit requires it. Keys are literals. */
export function jsonObjectOf(pairs: readonly (readonly [string, SQL])[]): SQL<string> {
	const render = (chunk: readonly (readonly [string, SQL])[]) =>
		sql`json_object(${sql.join(
			chunk.map(([key, value]) => sql`${sql.raw(`'${key}'`)}, ${value}`),
			sql`, `,
		)})`;
	if (pairs.length <= MAX_PAIRS_PER_CALL) return sql<string>`${render(pairs)}`;
	const chunks: SQL[] = [];
	for (let i = 0; i < pairs.length; i += MAX_PAIRS_PER_CALL)
		chunks.push(render(pairs.slice(i, i + MAX_PAIRS_PER_CALL)));
	return sql<string>`json_array(${sql.join(chunks, sql`, `)})`;
}

/** The object `jsonObjectOf` wrote, whether it came as one object or as chunks. */
export function fromJsonChunks(value: unknown): Record<string, unknown> {
	if (Array.isArray(value)) return Object.assign({}, ...(value as Record<string, unknown>[]));
	return (value ?? {}) as Record<string, unknown>;
}

/**
 * Every column of `table` read through the alias `as`, keyed by the
 * TypeScript property names, and the way back with each column's own driver
 * mapping (dates, booleans, JSON text), so a row packed into one JSON column
 * comes back exactly as Drizzle would have returned it. Keys are written as
 * literals: bound, they would count against D1's 100 parameters.
 */
export function jsonObjectOfRow(table: Table, as: string): SQL<string> {
	return jsonObjectOf(
		Object.entries(getTableColumns(table)).map(
			([key, column]) => [key, sql`${sql.identifier(as)}.${sql.identifier(column.name)}`] as const,
		),
	);
}

export function rowFromJson<T>(table: Table, packed: unknown): T {
	const json = fromJsonChunks(packed);
	const row: Record<string, unknown> = {};
	for (const [key, column] of Object.entries(getTableColumns(table))) {
		const value = json[key];
		row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
	}
	return row as T;
}
