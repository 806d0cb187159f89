import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Mastodon's paging window over time-sortable ids:
 * - `max_id`: older than this id (the next page, going back in time);
 * - `since_id`: newer than this id, newest first (the newest page above a gap);
 * - `min_id`: newer than this id, oldest first (the page just above it).
 */
export interface PageQuery {
	maxId?: string;
	sinceId?: string;
	minId?: string;
	limit: number;
}

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
