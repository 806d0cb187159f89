import { and, eq, isNull, sql } from "drizzle-orm";
import { sqlRun } from "../../db/queries/raw";
import { mediaAttachments, notifications, type Status, statuses, statusPins } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { unindexStatements } from "../search/indexing";
import { liveFeedEntriesQuery, publicAudienceQuery } from "../streaming/audience";
import { streamDeletion } from "../streaming/publish";
import { featuredTagsOnDelete } from "../tags/featured-counts";
import { removeFromFeeds } from "../timelines/fanout";
import { type PostingContext, replyFacts } from "./posting";
import { asBatch, type Statement } from "./writes";

/**
 * Deletes a post: it and its boosts disappear from every API answer, counts
 * go down, its media are detached (kept for delete-and-redraft) and the
 * federation layer is told. The row stays, marked deleted, so a late remote
 * interaction with its URI finds a tombstone.
 */
export async function deleteStatus(ctx: PostingContext, status: Status): Promise<void> {
	const { db } = ctx;
	const now = new Date();
	// Who is listening is read first, while the feed entries, tags and media are still there.
	const statements: Statement[] = [liveFeedEntriesQuery(db, status.id, true)];
	const audience = publicAudienceQuery(db, { ...status, ...replyFacts(status) });
	if (audience) statements.push(audience);
	statements.push(
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
	);
	const results = await db.batch(asBatch(statements));
	await streamDeletion(ctx, status.id, statements, results);
}
