import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { bookmarks, favourites, homeFeed, mediaAttachments, statuses, statusTags, tags } from "../../db/schema";
import { normalizeTag } from "../../lib/text/status-text";

/**
 * The id lists behind each timeline, newest first. Each reads one page of
 * index entries; visibility, blocks, mutes and filters are applied by
 * loadStatusViews when the page is rendered.
 */
export interface TimelinePage {
	/** Ids of the statuses to show. */
	statusIds: string[];
	/** Ids that page the list (the statuses' own ids, or bookmark/favourite ids). */
	pageIds: string[];
}

export async function homeTimeline(db: Db, accountId: string, query: PageQuery): Promise<TimelinePage> {
	const window = pageWindow(homeFeed.statusId, query);
	const rows = await db
		.select({ id: homeFeed.statusId })
		.from(homeFeed)
		.where(and(eq(homeFeed.accountId, accountId), notInExclusiveLists(accountId), ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	const ids = newestFirst(rows, query).map((r) => r.id);
	return { statusIds: ids, pageIds: ids };
}

export interface PublicScope {
	local?: boolean;
	remote?: boolean;
	onlyMedia?: boolean;
}

function scopeConditions(scope: PublicScope): SQL[] {
	const where: SQL[] = [
		eq(statuses.visibility, "public"),
		isNull(statuses.deletedAt),
		isNull(statuses.reblogOfId),
		// Limited (silenced) and suspended accounts stay out of the public timelines, as on Mastodon.
		sql`not exists (select 1 from accounts pa where pa.id = ${statuses.accountId}
			and (pa.silenced_at is not null or pa.suspended_at is not null))`,
	];
	if (scope.local) where.push(eq(statuses.local, true));
	else if (scope.remote) where.push(eq(statuses.local, false));
	if (scope.onlyMedia) {
		where.push(sql`exists (select 1 from ${mediaAttachments} where ${mediaAttachments.statusId} = ${statuses.id})`);
	}
	return where;
}

/** Replies to other people stay out of the public timelines, as on Mastodon; self-threads stay in. */
const NOT_A_REPLY_TO_OTHERS = sql`(${statuses.inReplyToId} is null or ${statuses.inReplyToAccountId} = ${statuses.accountId})`;

export async function publicTimeline(db: Db, query: PageQuery, scope: PublicScope): Promise<TimelinePage> {
	const window = pageWindow(statuses.id, query);
	const rows = await db
		.select({ id: statuses.id })
		.from(statuses)
		.where(and(...scopeConditions(scope), NOT_A_REPLY_TO_OTHERS, ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	const ids = newestFirst(rows, query).map((r) => r.id);
	return { statusIds: ids, pageIds: ids };
}

export interface TagScope extends PublicScope {
	any?: string[];
	all?: string[];
	none?: string[];
}

function hasTag(names: string[]) {
	return sql`(select 1 from ${statusTags} join ${tags} on ${tags.id} = ${statusTags.tagId}
		where ${statusTags.statusId} = ${statuses.id}
		and ${tags.name} in (select value from json_each(${JSON.stringify(names.map(normalizeTag))})))`;
}

export async function tagTimeline(db: Db, tag: string, query: PageQuery, scope: TagScope): Promise<TimelinePage> {
	const where = scopeConditions(scope);
	where.push(sql`exists ${hasTag([tag, ...(scope.any ?? [])])}`);
	for (const name of scope.all ?? []) where.push(sql`exists ${hasTag([name])}`);
	if (scope.none && scope.none.length > 0) where.push(sql`not exists ${hasTag(scope.none)}`);
	const window = pageWindow(statuses.id, query);
	const rows = await db
		.select({ id: statuses.id })
		.from(statuses)
		.where(and(...where, ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	const ids = newestFirst(rows, query).map((r) => r.id);
	return { statusIds: ids, pageIds: ids };
}

/** The account's bookmarks, paged by bookmark id as Mastodon does. */
export async function bookmarksPage(db: Db, accountId: string, query: PageQuery): Promise<TimelinePage> {
	const window = pageWindow(bookmarks.id, query);
	const rows = newestFirst(
		await db
			.select({ id: bookmarks.id, statusId: bookmarks.statusId })
			.from(bookmarks)
			.where(and(eq(bookmarks.accountId, accountId), ...window.where))
			.orderBy(window.orderBy)
			.limit(query.limit),
		query,
	);
	return { statusIds: rows.map((r) => r.statusId), pageIds: rows.map((r) => r.id) };
}

/** The account's favourites, paged by favourite id as Mastodon does. */
export async function favouritesPage(db: Db, accountId: string, query: PageQuery): Promise<TimelinePage> {
	const window = pageWindow(favourites.id, query);
	const rows = newestFirst(
		await db
			.select({ id: favourites.id, statusId: favourites.statusId })
			.from(favourites)
			.where(and(eq(favourites.accountId, accountId), ...window.where))
			.orderBy(window.orderBy)
			.limit(query.limit),
		query,
	);
	return { statusIds: rows.map((r) => r.statusId), pageIds: rows.map((r) => r.id) };
}

/**
 * For the home timeline: a condition keeping out entries by members of the
 * owner's exclusive lists, whose posts show only in those lists. Most owners
 * have none: the first test (evaluated once) then skips the list lookup,
 * which D1 would otherwise count as a row read per entry.
 */
export function notInExclusiveLists(ownerId: string): SQL {
	return sql`(not exists (select 1 from lists l where l.account_id = ${ownerId} and l.exclusive = 1)
		or ${homeFeed.authorId} not in (select la.account_id from list_accounts la
		join lists l on l.id = la.list_id where l.account_id = ${ownerId} and l.exclusive = 1))`;
}
