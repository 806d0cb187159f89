import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { isAscending, type PageQuery } from "../http/pagination";

/** Conditions on a time-sortable id column for a Mastodon page window. */
export function pageWhere(column: SQLiteColumn, query: PageQuery): (SQL | undefined)[] {
	return [
		query.maxId ? lt(column, query.maxId) : undefined,
		query.sinceId ? gt(column, query.sinceId) : undefined,
		query.minId ? gt(column, query.minId) : undefined,
	];
}

export function pageOrder(column: SQLiteColumn, query: PageQuery): SQL {
	return isAscending(query) ? asc(column) : desc(column);
}

/** Rows fetched oldest-first for `min_id` are served newest-first like every other page. */
export function newestFirst<T>(rows: T[], query: PageQuery): T[] {
	return isAscending(query) ? rows.reverse() : rows;
}
