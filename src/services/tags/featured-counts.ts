import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import type { Visibility } from "../../db/schema";
import { normalizeTag } from "../../lib/text/status-text";
import type { Statement } from "../statuses/writes";

/**
 * Statements that keep featured_tags.statuses_count and last_status_at in step
 * with the owner's public and unlisted posts, run inside the batches that
 * write those posts (as Mastodon updates them on each post and removal), so
 * reading a profile never counts posts.
 */

const COUNTED: readonly Visibility[] = ["public", "unlisted"];

function counted(visibility: Visibility): boolean {
	return COUNTED.includes(visibility);
}

/** The newest remaining counted post of the featured tag's owner with its tag, leaving `statusId` out. */
function newestOtherPost(statusId: string) {
	return sql`(select s.created_at from statuses s
		where s.account_id = featured_tags.account_id and s.id <> ${statusId} and s.deleted_at is null
			and s.visibility in ('public', 'unlisted')
			and exists (select 1 from status_tags st where st.status_id = s.id and st.tag_id = featured_tags.tag_id)
		order by s.id desc limit 1)`;
}

/** After a new post's status_tags are written in the same batch. */
export function featuredTagsOnPost(
	db: Db,
	post: { statusId: string; accountId: string; visibility: Visibility; createdAt: Date; tagNames: readonly string[] },
): Statement[] {
	if (!counted(post.visibility) || post.tagNames.length === 0) return [];
	return [
		sqlRun(
			db,
			sql`update featured_tags set statuses_count = statuses_count + 1,
				last_status_at = max(coalesce(last_status_at, 0), ${post.createdAt.getTime()})
			where account_id = ${post.accountId}
				and tag_id in (select tag_id from status_tags where status_id = ${post.statusId})`,
		),
	];
}

/** For a deleted post; its status_tags rows stay, so this may run anywhere in the deletion batch. */
export function featuredTagsOnDelete(
	db: Db,
	status: { id: string; accountId: string; visibility: Visibility; reblogOfId: string | null },
): Statement[] {
	if (!counted(status.visibility) || status.reblogOfId) return [];
	return [
		sqlRun(
			db,
			sql`update featured_tags set statuses_count = max(statuses_count - 1, 0),
				last_status_at = ${newestOtherPost(status.id)}
			where account_id = ${status.accountId}
				and tag_id in (select tag_id from status_tags where status_id = ${status.id})`,
		),
	];
}

/**
 * For an edit that replaces the post's tags with `newTagNames`; must run
 * BEFORE the batch deletes the old status_tags rows. Tags kept change nothing.
 */
export function featuredTagsOnEdit(
	db: Db,
	status: { id: string; accountId: string; visibility: Visibility; createdAt: Date },
	newTagNames: readonly string[],
): Statement[] {
	if (!counted(status.visibility)) return [];
	const names = JSON.stringify([...new Set(newTagNames.map(normalizeTag))]);
	const newTagIds = sql`(select id from tags where name in (select value from json_each(${names})))`;
	const oldTagIds = sql`(select tag_id from status_tags where status_id = ${status.id})`;
	return [
		sqlRun(
			db,
			sql`update featured_tags set statuses_count = max(statuses_count - 1, 0),
				last_status_at = ${newestOtherPost(status.id)}
			where account_id = ${status.accountId} and tag_id in ${oldTagIds} and tag_id not in ${newTagIds}`,
		),
		sqlRun(
			db,
			sql`update featured_tags set statuses_count = statuses_count + 1,
				last_status_at = max(coalesce(last_status_at, 0), ${status.createdAt.getTime()})
			where account_id = ${status.accountId} and tag_id in ${newTagIds} and tag_id not in ${oldTagIds}`,
		),
	];
}
