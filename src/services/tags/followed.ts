import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { sqlAll } from "../../db/queries/raw";
import { tagFollows, tags } from "../../db/schema";
import { newId } from "../../lib/ids";
import { normalizeTag } from "../../lib/text/status-text";
import { type FeedRow, feedInsert, LIVE_FEED_COLUMN } from "../streaming/audience";

export type Tag = typeof tags.$inferSelect;

const TAG_NAME = /^(?=[\p{L}\p{N}_]*[\p{L}_])[\p{L}\p{N}_]{1,100}$/u;

export function isValidTagName(name: string): boolean {
	return TAG_NAME.test(name);
}

export async function findTag(db: Db, name: string): Promise<Tag | undefined> {
	const [row] = await db
		.select()
		.from(tags)
		.where(eq(tags.name, normalizeTag(name)))
		.limit(1);
	return row;
}

/** The tag, created on first use (following a tag nobody has used yet is allowed, as in Mastodon). */
export async function findOrCreateTag(db: Db, name: string): Promise<Tag> {
	const normalized = normalizeTag(name);
	await db
		.insert(tags)
		.values({ id: newId(), name: normalized, displayName: name, createdAt: new Date() })
		.onConflictDoNothing();
	const [row] = await db.select().from(tags).where(eq(tags.name, normalized)).limit(1);
	return row as Tag;
}

export async function followTag(db: Db, accountId: string, tag: Tag): Promise<void> {
	await db
		.insert(tagFollows)
		.values({ id: newId(), accountId, tagId: tag.id, createdAt: new Date() })
		.onConflictDoNothing();
}

export async function unfollowTag(db: Db, accountId: string, tag: Tag): Promise<void> {
	await db.delete(tagFollows).where(and(eq(tagFollows.accountId, accountId), eq(tagFollows.tagId, tag.id)));
}

/** Which of `tagIds` the account follows. */
export async function followedAmong(db: Db, accountId: string, tagIds: string[]): Promise<Set<string>> {
	if (tagIds.length === 0) return new Set();
	const rows = await db
		.select({ tagId: tagFollows.tagId })
		.from(tagFollows)
		.where(and(eq(tagFollows.accountId, accountId), inIdList(tagFollows.tagId, tagIds)));
	return new Set(rows.map((row) => row.tagId));
}

export async function isFollowingTag(db: Db, accountId: string, tagId: string): Promise<boolean> {
	const rows = await db
		.select({ id: tagFollows.id })
		.from(tagFollows)
		.where(and(eq(tagFollows.accountId, accountId), eq(tagFollows.tagId, tagId)))
		.limit(1);
	return rows.length > 0;
}

export async function followedTagsPage(
	db: Db,
	accountId: string,
	query: PageQuery,
): Promise<{ pageId: string; tag: Tag }[]> {
	const window = pageWindow(tagFollows.id, query);
	const rows = await db
		.select({ pageId: tagFollows.id, tag: tags })
		.from(tagFollows)
		.innerJoin(tags, eq(tags.id, tagFollows.tagId))
		.where(and(eq(tagFollows.accountId, accountId), ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	return newestFirst(rows, query);
}

/**
 * For the posting fan-out: a statement (for its db.batch) putting a public
 * post into the home feeds of local accounts following any of its tags,
 * except those who block or mute the author. Posts that are not public
 * never travel by tag, as in Mastodon.
 */
export function followedTagsFanOutStatement(
	db: Db,
	post: { statusId: string; authorId: string; visibility: string; tagNames: readonly string[] },
) {
	const names = post.visibility === "public" ? [...new Set(post.tagNames.map(normalizeTag))] : [];
	return feedInsert(
		sqlAll<FeedRow>(
			db,
			sql`insert or ignore into home_feed (account_id, status_id, author_id)
		select distinct tf.account_id, ${post.statusId}, ${post.authorId} from tag_follows tf
		join tags t on t.id = tf.tag_id
		join accounts a on a.id = tf.account_id and a.domain is null
		where t.name in (select value from json_each(${JSON.stringify(names)}))
			and tf.account_id <> ${post.authorId}
			and not exists (select 1 from blocks b where (b.account_id = tf.account_id and b.target_account_id = ${post.authorId})
				or (b.account_id = ${post.authorId} and b.target_account_id = tf.account_id))
			and not exists (select 1 from mutes m where m.account_id = tf.account_id and m.target_account_id = ${post.authorId}
				and (m.expires_at is null or m.expires_at > ${Date.now()}))
		returning account_id, ${LIVE_FEED_COLUMN}`,
		),
	);
}

export interface TagHistoryDay {
	day: number;
	uses: number;
	accounts: number;
}

/** Daily uses over the last week for each tag, newest day first, read in one query. */
export async function tagHistories(db: Db, tagIds: string[], now = new Date()): Promise<Map<string, TagHistoryDay[]>> {
	const result = new Map<string, TagHistoryDay[]>();
	if (tagIds.length === 0) return result;
	const dayMs = 86_400_000;
	const today = Math.floor(now.getTime() / dayMs) * dayMs;
	const since = today - 6 * dayMs;
	const rows = await db.all<{ tag: string; day: number; uses: number; accounts: number }>(sql`
		select st.tag_id as tag, (s.created_at / ${sql.raw(String(dayMs))}) * ${sql.raw(String(dayMs))} as day, count(*) as uses,
			count(distinct s.account_id) as accounts
		from status_tags st join statuses s on s.id = st.status_id
		where ${inIdList(sql`st.tag_id`, tagIds)} and s.created_at >= ${since} and s.deleted_at is null
		group by st.tag_id, day`);
	const byKey = new Map(rows.map((row) => [`${row.tag}:${Number(row.day)}`, row]));
	for (const tagId of tagIds) {
		result.set(
			tagId,
			Array.from({ length: 7 }, (_, i) => {
				const day = today - i * dayMs;
				const row = byKey.get(`${tagId}:${day}`);
				return { day: day / 1000, uses: row?.uses ?? 0, accounts: row?.accounts ?? 0 };
			}),
		);
	}
	return result;
}

export async function tagHistory(db: Db, tagId: string): Promise<TagHistoryDay[]> {
	return (await tagHistories(db, [tagId])).get(tagId) ?? [];
}

/** Known tags starting with `prefix` (a leading # is ignored), shortest first. */
export async function searchTags(db: Db, prefix: string, limit: number, offset: number): Promise<Tag[]> {
	const name = normalizeTag(prefix.trim().replace(/^#/, ""));
	if (!isValidTagName(name)) return [];
	return db
		.select()
		.from(tags)
		.where(sql`${tags.name} like ${`${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`)
		.orderBy(sql`length(${tags.name})`, tags.name)
		.limit(limit)
		.offset(offset);
}
