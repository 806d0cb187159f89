import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type Filter, type FilterKeyword, type FilterStatus, filters } from "../schema";

/**
 * An account's filters with their keywords and filtered statuses as JSON
 * columns: one statement instead of a filters query followed by two more, so
 * it can be sent at the same time as the statuses it applies to.
 * The outer table is named in full: Drizzle writes `${filters.id}` as a bare
 * "id" in a single-table select, which the subqueries would read as their own.
 */
export function selectFilterRows(db: Db, accountId: string) {
	return db
		.select({
			filter: filters,
			keywords: sql<string>`(select json_group_array(json_object('id', k.id, 'keyword', k.keyword,
				'wholeWord', k.whole_word)) from filter_keywords k where k.filter_id = filters.id)`,
			statusIds: sql<string>`(select json_group_array(json_array(fs.id, fs.status_id))
				from filter_statuses fs where fs.filter_id = filters.id)`,
		})
		.from(filters)
		.where(eq(filters.accountId, accountId));
}

export type FilterRow = Awaited<ReturnType<typeof selectFilterRows>>[number];

/** The rows in the shapes filter-match.ts compiles. */
export function splitFilterRows(rows: FilterRow[]): {
	list: Filter[];
	keywords: FilterKeyword[];
	statuses: FilterStatus[];
} {
	const keywords: FilterKeyword[] = [];
	const statuses: FilterStatus[] = [];
	for (const row of rows) {
		const filterId = row.filter.id;
		for (const k of JSON.parse(row.keywords) as { id: string; keyword: string; wholeWord: number }[]) {
			keywords.push({ id: k.id, filterId, keyword: k.keyword, wholeWord: k.wholeWord === 1 });
		}
		for (const [id, statusId] of JSON.parse(row.statusIds) as [string, string][]) {
			statuses.push({ id, filterId, statusId });
		}
	}
	return { list: rows.map((r) => r.filter), keywords, statuses };
}
