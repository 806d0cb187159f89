import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import type { Visibility } from "../../db/schema";

/** Above this many local followers, a post's fan-out runs in the jobs queue instead of the request. */
export const INLINE_FANOUT_LIMIT = 500;
/** Follower rows written per statement by the queued fan-out. */
export const FANOUT_PAGE_SIZE = 1000;

export interface FanOutTarget {
	/** The id shown in the timeline: the boost's own id for boosts. */
	statusId: string;
	/** Author of the entry (the booster for boosts). */
	authorId: string;
	visibility: Visibility;
	/** For boosts: the boosted post and its author, whom followers may have blocked or muted. */
	reblogOf: { id: string; accountId: string } | null;
	/** For replies: whom the post answers. */
	inReplyToAccountId: string | null;
	/** Local accounts mentioned by the post. */
	mentionedIds: string[];
}

/**
 * As Mastodon's home feed does: followers who block or mute an author never
 * get the post; boosts skip followers who turned boosts off for the booster
 * or already have the original; replies reach only followers who also follow
 * the account replied to. All is checked inside the insert, so no follower
 * list ever travels through the Worker.
 */
function followerConditions(target: FanOutTarget) {
	const original = target.reblogOf?.accountId ?? target.authorId;
	const replyTo = target.inReplyToAccountId;
	return sql`f.target_account_id = ${target.authorId} and a.domain is null
		${
			target.reblogOf
				? sql`and f.show_reblogs = 1 and not exists (select 1 from home_feed h
					where h.account_id = f.account_id and h.status_id = ${target.reblogOf.id})`
				: sql``
		}
		${
			replyTo && replyTo !== target.authorId
				? sql`and (f.account_id = ${replyTo} or exists (select 1 from follows r
					where r.account_id = f.account_id and r.target_account_id = ${replyTo}))`
				: sql``
		}
		and not exists (select 1 from blocks b where b.account_id = f.account_id
			and b.target_account_id in (${target.authorId}, ${original}))
		and not exists (select 1 from mutes m where m.account_id = f.account_id
			and m.target_account_id in (${target.authorId}, ${original}))`;
}

/** Counts local followers, stopping early: enough to choose between inline and queued fan-out. */
export function countLocalFollowersQuery(db: Db, authorId: string) {
	return sqlAll<{ n: number }>(
		db,
		sql`
		select count(*) as n from (select 1 from follows f join accounts a on a.id = f.account_id
			where f.target_account_id = ${authorId} and a.domain is null limit ${INLINE_FANOUT_LIMIT + 1})`,
	);
}

/**
 * Statements writing the author's own entry (local authors only: a remote
 * account has no home feed here) and those of the mentioned accounts who may
 * see the post.
 */
export function fanOutToSelfAndMentioned(db: Db, target: FanOutTarget) {
	const statements = [
		sqlRun(
			db,
			sql`insert or ignore into home_feed (account_id, status_id, author_id)
			select ${target.authorId}, ${target.statusId}, ${target.authorId}
			from accounts where id = ${target.authorId} and domain is null`,
		),
	];
	if ((target.visibility === "direct" || target.visibility === "private") && target.mentionedIds.length > 0) {
		statements.push(
			sqlRun(
				db,
				sql`insert or ignore into home_feed (account_id, status_id, author_id)
				select a.id, ${target.statusId}, ${target.authorId} from accounts a
				where a.id in (select value from json_each(${JSON.stringify(target.mentionedIds)})) and a.domain is null
				and not exists (select 1 from blocks b where b.account_id = a.id and b.target_account_id = ${target.authorId})`,
			),
		);
	}
	return statements;
}

/** Whether followers get the post in their home feed at all (direct posts go to mentioned accounts only). */
export function reachesFollowers(visibility: Visibility): boolean {
	return visibility !== "direct";
}

/** One statement writing every local follower's entry: for authors below INLINE_FANOUT_LIMIT. */
export function fanOutToAllFollowers(db: Db, target: FanOutTarget) {
	return sqlRun(
		db,
		sql`insert or ignore into home_feed (account_id, status_id, author_id)
		select f.account_id, ${target.statusId}, ${target.authorId}
		from follows f join accounts a on a.id = f.account_id
		where ${followerConditions(target)}`,
	);
}

/**
 * One page of the queued fan-out: followers with ids above `afterFollowerId`.
 * Returns the last follower id of the page, or null when it was the last.
 */
export async function fanOutFollowersPage(
	db: Db,
	target: FanOutTarget,
	afterFollowerId: string,
	pageSize = FANOUT_PAGE_SIZE,
): Promise<string | null> {
	const page = await sqlAll<{ id: string }>(
		db,
		sql`
		select f.account_id as id from follows f join accounts a on a.id = f.account_id
		where f.target_account_id = ${target.authorId} and a.domain is null and f.account_id > ${afterFollowerId}
		order by f.account_id limit ${pageSize}`,
	);
	if (page.length === 0) return null;
	const ids = page.map((r) => r.id);
	await sqlRun(
		db,
		sql`insert or ignore into home_feed (account_id, status_id, author_id)
		select f.account_id, ${target.statusId}, ${target.authorId}
		from follows f join accounts a on a.id = f.account_id
		where f.account_id in (select value from json_each(${JSON.stringify(ids)})) and ${followerConditions(target)}`,
	);
	return page.length < pageSize ? null : (ids[ids.length - 1] ?? null);
}

/** Removes a status's entries from the feeds it can have reached (author, followers, mentioned). */
export function removeFromFeeds(db: Db, statusId: string, authorId: string) {
	return sqlRun(
		db,
		sql`delete from home_feed where status_id = ${statusId} and account_id in (
		select ${authorId} union all select account_id from follows where target_account_id = ${authorId}
		union all select account_id from mentions where status_id = ${statusId})`,
	);
}
