import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type FeaturedTag, featuredTags, tags } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { findOrCreateTag, isValidTagName, type Tag } from "./followed";

/** Mastodon's cap on hashtags one local account may feature. */
export const FEATURED_TAGS_LIMIT = 10;
/** Suggestions come from the tags of this many of the account's newest posts, as in Mastodon. */
const SUGGESTION_WINDOW = 1000;
const SUGGESTIONS = 10;

export type TagName = Pick<Tag, "id" | "name" | "displayName">;

export type SuggestedTag = TagName & { following: boolean };

export interface FeaturedTagRow {
	featured: FeaturedTag;
	tag: Tag;
}

/** An account's featured tags, most used first. */
export async function listFeaturedTags(db: Db, accountId: string): Promise<FeaturedTagRow[]> {
	return db
		.select({ featured: featuredTags, tag: tags })
		.from(featuredTags)
		.innerJoin(tags, eq(tags.id, featuredTags.tagId))
		.where(eq(featuredTags.accountId, accountId))
		.orderBy(desc(featuredTags.statusesCount), asc(featuredTags.id));
}

/**
 * Features a hashtag on the account's profile. The name may carry a leading
 * `#`; it must be a valid hashtag, not featured yet, and within the limit.
 * The count of the account's public and unlisted posts with it is taken now
 * and kept up to date by posting from then on.
 */
export async function featureTag(db: Db, accountId: string, rawName: string): Promise<FeaturedTagRow> {
	const name = rawName.trim().replace(/^#/, "");
	if (name === "") throw new ValidationError("name", "Name can't be blank");
	if (!isValidTagName(name)) throw new ValidationError("name", "Name is invalid");
	const existing = await listFeaturedTags(db, accountId);
	const tag = await findOrCreateTag(db, name);
	if (existing.some((row) => row.tag.id === tag.id)) throw new ValidationError("name", "Name has already been taken");
	if (existing.length >= FEATURED_TAGS_LIMIT) {
		throw new ValidationError("base", "You have already featured the maximum number of hashtags");
	}
	const now = Date.now();
	const id = newId(now);
	const ownPosts = sql`from statuses s where s.account_id = ${accountId} and s.deleted_at is null
		and s.visibility in ('public', 'unlisted')
		and exists (select 1 from status_tags st where st.status_id = s.id and st.tag_id = ${tag.id})`;
	const [, , rows] = await db.batch([
		// The limit is checked again in the statement itself, against a concurrent request.
		sqlRun(
			db,
			sql`insert or ignore into featured_tags
			(id, account_id, tag_id, name, statuses_count, last_status_at, created_at)
			select ${id}, ${accountId}, ${tag.id}, ${name}, (select count(*) ${ownPosts}),
				(select s.created_at ${ownPosts} order by s.id desc limit 1), ${now}
			where (select count(*) from featured_tags where account_id = ${accountId}) < ${FEATURED_TAGS_LIMIT}`,
		),
		// Peers re-read the actor, and with it the featured tags collection, on an Update.
		publishOutboxEvent(
			db,
			{ type: "account.updated", accountId },
			{ when: sql`exists (select 1 from featured_tags where id = ${id})` },
		),
		db
			.select()
			.from(featuredTags)
			.where(and(eq(featuredTags.accountId, accountId), eq(featuredTags.tagId, tag.id)))
			.limit(1),
	]);
	const featured = rows[0];
	if (!featured) throw new ValidationError("base", "You have already featured the maximum number of hashtags");
	return { featured, tag };
}

/** Removes one of the account's own featured tags; false when it has none with that id. */
export async function unfeatureTag(db: Db, accountId: string, id: string): Promise<boolean> {
	const [, deleted] = await db.batch([
		publishOutboxEvent(
			db,
			{ type: "account.updated", accountId },
			{ when: sql`exists (select 1 from featured_tags where id = ${id} and account_id = ${accountId})` },
		),
		db
			.delete(featuredTags)
			.where(and(eq(featuredTags.id, id), eq(featuredTags.accountId, accountId)))
			.returning({ id: featuredTags.id }),
	]);
	return deleted.length > 0;
}

/** The tags most used in the account's recent posts that it does not feature yet, and whether it follows them. */
export async function featuredTagSuggestions(db: Db, accountId: string): Promise<SuggestedTag[]> {
	const rows = await db.all<TagName & { following: number }>(sql`select t.id, t.name, t.display_name as displayName,
			exists (select 1 from tag_follows tf where tf.account_id = ${accountId} and tf.tag_id = t.id) as following
		from (select id from statuses where account_id = ${accountId} and deleted_at is null
			order by id desc limit ${SUGGESTION_WINDOW}) recent
		join status_tags st on st.status_id = recent.id
		join tags t on t.id = st.tag_id
		where t.id not in (select tag_id from featured_tags where account_id = ${accountId})
		group by t.id order by count(*) desc, max(recent.id) desc limit ${SUGGESTIONS}`);
	return rows.map((row) => ({ ...row, following: Number(row.following) === 1 }));
}
