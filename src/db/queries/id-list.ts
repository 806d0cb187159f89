import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * `column IN (ids)` with the whole list bound as ONE JSON parameter, so a
 * list of any length stays under D1's 100 bound parameters per statement
 * while SQLite still uses the column's index for the lookup.
 */
export function inIdList(column: SQLWrapper, ids: readonly string[]): SQL {
	return sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}
