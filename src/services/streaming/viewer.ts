import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type FilterRow, selectFilterRows, splitFilterRows } from "../../db/queries/filter-rows";
import { sqlAll } from "../../db/queries/raw";
import type { FilterContext, ListRepliesPolicy } from "../../db/schema";
import { type CompiledFilter, compileFilters } from "../filters/match";

/**
 * What an account's streaming object remembers of its viewer to apply the
 * REST timelines' rules without reading D1 per event: filters, whom the
 * viewer blocks or mutes and who blocks the viewer, lists, muted
 * conversations. Read in one batch when first needed, kept in the object's
 * storage across hibernation, dropped when the services say it changed (see
 * streamViewerChanged) and in any case after MAX_AGE_MS.
 */
export interface ViewerContext {
	loadedAt: number;
	filterRows: FilterRow[];
	/** Accounts the viewer blocks (until null) or mutes (until the mute's end). */
	hidden: { id: string; until: number | null }[];
	/** Accounts that block the viewer. */
	blockedBy: string[];
	lists: ViewerList[];
	mutedConversations: string[];
}

export interface ViewerList {
	id: string;
	exclusive: boolean;
	repliesPolicy: ListRepliesPolicy;
	members: string[];
}

/** A safety net for a change nobody announced; announced ones apply at once. */
export const MAX_AGE_MS = 60 * 60 * 1000;

export async function loadViewerContext(db: Db, viewerId: string, now = Date.now()): Promise<ViewerContext> {
	const [filterRows, hidden, blockedBy, lists, mutedConversations] = await db.batch([
		selectFilterRows(db, viewerId),
		sqlAll<{ id: string; until: number | null }>(
			db,
			sql`select target_account_id as id, null as until from blocks where account_id = ${viewerId}
			union all select target_account_id, expires_at from mutes where account_id = ${viewerId}
				and (expires_at is null or expires_at > ${now})`,
		),
		sqlAll<{ id: string }>(db, sql`select account_id as id from blocks where target_account_id = ${viewerId}`),
		sqlAll<{ id: string; exclusive: number; replies_policy: ListRepliesPolicy; members: string }>(
			db,
			sql`select l.id, l.exclusive, l.replies_policy,
				(select json_group_array(la.account_id) from list_accounts la where la.list_id = l.id) as members
			from lists l where l.account_id = ${viewerId}`,
		),
		sqlAll<{ id: string }>(
			db,
			sql`select conversation_id as id from conversation_mutes where account_id = ${viewerId}`,
		),
	]);
	return {
		loadedAt: now,
		filterRows,
		hidden: hidden.map((row) => ({ id: row.id, until: row.until === null ? null : Number(row.until) })),
		blockedBy: blockedBy.map((row) => row.id),
		lists: lists.map((row) => ({
			id: row.id,
			exclusive: row.exclusive === 1,
			repliesPolicy: row.replies_policy,
			members: JSON.parse(row.members) as string[],
		})),
		mutedConversations: mutedConversations.map((row) => row.id),
	};
}

/** Whether the viewer blocks or mutes the author, or the author blocks the viewer: timelines leave such posts out. */
export function hidesAuthor(viewer: ViewerContext, authorId: string, now = Date.now()): boolean {
	if (viewer.blockedBy.includes(authorId)) return true;
	return viewer.hidden.some((entry) => entry.id === authorId && (entry.until === null || entry.until > now));
}

export function viewerFilters(viewer: ViewerContext, context: FilterContext, now = Date.now()): CompiledFilter[] {
	const split = splitFilterRows(viewer.filterRows);
	return compileFilters(split.list, split.keywords, split.statuses, context, now);
}

/** Whether a home-feed entry shown as by `entryAuthorId` is kept out of home by an exclusive list. */
export function inExclusiveList(viewer: ViewerContext, entryAuthorId: string): boolean {
	return viewer.lists.some((list) => list.exclusive && list.members.includes(entryAuthorId));
}
