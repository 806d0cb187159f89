import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Status, statuses } from "../../db/schema";
import { fanOutFollowersPage, reachesFollowers } from "./fanout";

/**
 * The queued part of a fan-out: every local follower's entry, page by page.
 * Safe to retry from the start: entries already written are ignored (and,
 * being ignored, are not streamed twice). `onLive` is told, page by page, the
 * followers who got the entry and are listening.
 */
export async function runQueuedFanOut(
	db: Db,
	statusId: string,
	onLive: (status: Status, accountIds: string[]) => Promise<void> = async () => {},
): Promise<void> {
	const [status] = await db
		.select()
		.from(statuses)
		.where(and(eq(statuses.id, statusId), isNull(statuses.deletedAt)))
		.limit(1);
	if (!status || !reachesFollowers(status.visibility)) return;
	let reblogOf: { id: string; accountId: string } | null = null;
	if (status.reblogOfId) {
		const [original] = await db
			.select({ accountId: statuses.accountId })
			.from(statuses)
			.where(eq(statuses.id, status.reblogOfId))
			.limit(1);
		if (!original) return;
		reblogOf = { id: status.reblogOfId, accountId: original.accountId };
	}
	const target = {
		statusId: status.id,
		authorId: status.accountId,
		visibility: status.visibility,
		reblogOf,
		inReplyToAccountId: status.inReplyToAccountId,
		mentionedIds: [],
	};
	let after: string | null = "";
	while (after !== null) {
		const page = await fanOutFollowersPage(db, target, after);
		if (page.live.length > 0) await onLive(status, page.live);
		after = page.next;
	}
}
