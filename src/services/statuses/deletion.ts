import { and, eq, isNull, sql } from "drizzle-orm";
import { sqlRun } from "../../db/queries/raw";
import { mediaAttachments, notifications, type Status, statuses, statusPins } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { unindexStatements } from "../search/indexing";
import { featuredTagsOnDelete } from "../tags/featured-counts";
import { removeFromFeeds } from "../timelines/fanout";
import type { PostingContext } from "./posting";

/**
 * Deletes a post: it and its boosts disappear from every API answer, counts
 * go down, its media are detached (kept for delete-and-redraft) and the
 * federation layer is told. The row stays, marked deleted, so a late remote
 * interaction with its URI finds a tombstone.
 */
export async function deleteStatus(ctx: PostingContext, status: Status): Promise<void> {
	const { db } = ctx;
	const now = new Date();
	await db.batch([
		removeFromFeeds(db, status.id, status.accountId),
		...unindexStatements(db, [status.id]),
		db.update(statuses).set({ deletedAt: now }).where(eq(statuses.id, status.id)),
		db
			.update(statuses)
			.set({ deletedAt: now })
			.where(and(eq(statuses.reblogOfId, status.id), isNull(statuses.deletedAt))),
		db.update(mediaAttachments).set({ statusId: null }).where(eq(mediaAttachments.statusId, status.id)),
		db.delete(statusPins).where(eq(statusPins.statusId, status.id)),
		...featuredTagsOnDelete(db, status),
		db.delete(notifications).where(eq(notifications.statusId, status.id)),
		sqlRun(db, sql`update accounts set statuses_count = max(statuses_count - 1, 0) where id = ${status.accountId}`),
		sqlRun(
			db,
			sql`update statuses set replies_count = max(replies_count - 1, 0)
			where id = ${status.inReplyToId ?? ""}`,
		),
		sqlRun(
			db,
			sql`update statuses set reblogs_count = (select count(*) from statuses r
			where r.reblog_of_id = statuses.id and r.deleted_at is null) where id = ${status.reblogOfId ?? ""}`,
		),
		// A remote post deleted by its server (the inbox calls this too) is nobody else's business.
		...(status.local
			? [
					publishOutboxEvent(db, {
						type: "status.deleted",
						statusId: status.id,
						accountId: status.accountId,
						uri: status.uri,
					}),
				]
			: []),
	]);
}
