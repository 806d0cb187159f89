import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { homeFeed, statuses } from "../../db/schema";

/** How many of an account's recent posts a new follower's home feed receives. */
export const BACKFILL_LIMIT = 20;

/**
 * Copies `authorId`'s recent posts that a follower may see into the
 * follower's home feed, so following someone fills the timeline at once.
 * A statement for a batch, so it commits with the follow itself.
 */
export function backfillStatement(db: Db, followerId: string, authorId: string, showReblogs: boolean) {
	return db
		.insert(homeFeed)
		.select(
			db
				.select({
					accountId: sql<string>`${followerId}`.as("account_id"),
					statusId: statuses.id,
					authorId: statuses.accountId,
				})
				.from(statuses)
				.where(
					and(
						eq(statuses.accountId, authorId),
						isNull(statuses.deletedAt),
						inArray(statuses.visibility, ["public", "unlisted", "private"]),
						showReblogs ? undefined : isNull(statuses.reblogOfId),
					),
				)
				.orderBy(desc(statuses.id))
				.limit(BACKFILL_LIMIT),
		)
		.onConflictDoNothing();
}

/**
 * Drops everything `authorId` put into `accountId`'s home feed (unfollow,
 * block). The feed has no index by author (it would cost a row written per
 * entry): the entries are found through the author's statuses, one key
 * lookup each, which reads what the author has posted here rather than the
 * whole feed.
 */
export function removeAuthorStatement(db: Db, accountId: string, authorId: string) {
	return db
		.delete(homeFeed)
		.where(
			and(
				eq(homeFeed.accountId, accountId),
				sql`${homeFeed.statusId} in (select id from statuses where account_id = ${authorId})`,
				eq(homeFeed.authorId, authorId),
			),
		);
}
