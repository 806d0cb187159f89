import { getTableColumns, type SQL, sql, type Table } from "drizzle-orm";

/**
 * `json_object(…)` of every column of `table` read through the alias `as`,
 * keyed by the TypeScript property names, and the way back with each column's
 * own driver mapping (dates, booleans, JSON text), so a row packed into one
 * JSON column comes back exactly as Drizzle would have returned it. Keys are
 * written as literals: bound, they would count against D1's 100 parameters.
 */
export function jsonObjectOfRow(table: Table, as: string): SQL<string> {
	const parts = Object.entries(getTableColumns(table)).map(
		([key, column]) => sql`${sql.raw(`'${key}'`)}, ${sql.identifier(as)}.${sql.identifier(column.name)}`,
	);
	return sql<string>`json_object(${sql.join(parts, sql`, `)})`;
}

export function rowFromJson<T>(table: Table, json: Record<string, unknown>): T {
	const row: Record<string, unknown> = {};
	for (const [key, column] of Object.entries(getTableColumns(table))) {
		const value = json[key];
		row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
	}
	return row as T;
}
