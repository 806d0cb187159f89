import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { PageQuery } from "../../http/pagination";

/**
 * Conditions and order applying Mastodon's max_id/since_id/min_id window to a
 * time-sortable id column. With min_id rows come oldest first; callers
 * reverse them with `newestFirst`.
 */
export function pageWindow(column: SQLiteColumn, query: PageQuery): { where: SQL[]; orderBy: SQL } {
	const where: SQL[] = [];
	if (query.maxId) where.push(lt(column, query.maxId));
	if (query.minId) where.push(gt(column, query.minId));
	else if (query.sinceId) where.push(gt(column, query.sinceId));
	return { where, orderBy: query.minId ? asc(column) : desc(column) };
}

export function newestFirst<T>(rows: T[], query: PageQuery): T[] {
	return query.minId ? [...rows].reverse() : rows;
}
