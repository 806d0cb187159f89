import { and, eq, isNull } from "drizzle-orm";
import { type Account, type Status, statuses, type Visibility } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { notifyStatement, queueNotificationPushes } from "../../services/notifications/write";
import { appendFanOut, type PostingContext } from "../../services/statuses/posting";
import { mayReblog, recountReblogs } from "../../services/statuses/reblogs";
import { asBatch, type Statement } from "../../services/statuses/writes";
import { streamNewStatus } from "../../services/streaming/publish";
import { countLocalFollowersQuery } from "../../services/timelines/fanout";
import { visibilityFromAddressing } from "../parse";

export interface RemoteReblogInput {
	/** The Announce's id: the boost's URI, which an Undo refers to. */
	uri: string;
	to: string[];
	cc: string[];
	published: Date | null;
}

/**
 * A remote account boosts a post: a boost row like a local one, the
 * original's count, a notification to a local author, and fan-out to the
 * booster's local followers. Idempotent by the Announce's id.
 */
export async function createRemoteReblog(
	ctx: PostingContext,
	booster: Account,
	original: Status,
	input: RemoteReblogInput,
): Promise<void> {
	const { db } = ctx;
	if (!mayReblog(booster, original)) return;
	const [existing, followerCount] = await db.batch([
		db
			.select({ id: statuses.id })
			.from(statuses)
			.where(and(eq(statuses.accountId, booster.id), eq(statuses.reblogOfId, original.id), isNull(statuses.deletedAt)))
			.limit(1),
		countLocalFollowersQuery(db, booster.id),
	]);
	if (existing[0]) return;
	const addressed = visibilityFromAddressing(input.to, input.cc, booster.followersUrl);
	const visibility: Visibility = addressed === "direct" ? "private" : addressed;
	const now = Date.now();
	const at = input.published && input.published.getTime() <= now ? input.published : new Date(now);
	const id = newId(at);
	const statements: Statement[] = [
		db
			.insert(statuses)
			.values({
				id,
				uri: input.uri,
				url: null,
				accountId: booster.id,
				local: false,
				reblogOfId: original.id,
				content: "",
				visibility,
				createdAt: at,
			})
			.onConflictDoNothing(),
		recountReblogs(db, original.id),
		notifyStatement(db, {
			type: "reblog",
			accountIds: [original.accountId],
			fromAccountId: booster.id,
			statusId: original.id,
		}),
	];
	const queued = await appendFanOut(
		db,
		statements,
		{
			statusId: id,
			authorId: booster.id,
			visibility,
			reblogOf: { id: original.id, accountId: original.accountId },
			inReplyToAccountId: null,
			mentionedIds: [],
		},
		followerCount[0]?.n ?? 0,
	);
	const results = await db.batch(asBatch(statements));
	await queueNotificationPushes(ctx.env, statements, results);
	if (queued) await ctx.env.JOBS_QUEUE.send({ type: "timeline.fanout", statusId: id } satisfies JobMessage);
	await streamNewStatus(
		ctx,
		{ id, accountId: booster.id, reblogOfId: original.id, conversationId: null },
		statements,
		results,
	);
}
