import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type Account, type Status, statuses, type Visibility } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { notifyStatement, queueNotificationPushes, retractNotificationStatement } from "../notifications/write";
import { indexOnInteraction } from "../search/indexing";
import { countLocalFollowersQuery, removeFromFeeds } from "../timelines/fanout";
import { appendFanOut, type PostingContext } from "./posting";
import { asBatch, type Statement } from "./writes";

/** Direct posts and other people's private posts cannot be boosted (Mastodon answers 403). */
export function mayReblog(account: Account, original: Status): boolean {
	if (original.visibility === "direct") return false;
	return original.visibility !== "private" || original.accountId === account.id;
}

/** Sets a post's boost count from its live boosts (self-correcting, unlike an increment). */
export function recountReblogs(db: Db, statusId: string) {
	return sqlRun(
		db,
		sql`update statuses set reblogs_count =
		(select count(*) from statuses where reblog_of_id = ${statusId} and deleted_at is null) where id = ${statusId}`,
	);
}

export async function findReblog(db: Db, accountId: string, originalId: string): Promise<Status | undefined> {
	const [row] = await db
		.select()
		.from(statuses)
		.where(and(eq(statuses.accountId, accountId), eq(statuses.reblogOfId, originalId), isNull(statuses.deletedAt)))
		.limit(1);
	return row;
}

/**
 * Boosts `original` (never a boost itself; callers pass the boosted post of a
 * boost). Boosting twice returns the first boost.
 */
export async function reblogStatus(
	ctx: PostingContext,
	account: Account,
	original: Status,
	requested?: Visibility,
): Promise<Status> {
	const { db } = ctx;
	if (!mayReblog(account, original)) throw new ValidationError("status", "This post cannot be boosted");
	const existing = await findReblog(db, account.id, original.id);
	if (existing) return existing;
	const visibility: Visibility =
		original.visibility === "private" ? "private" : requested && requested !== "direct" ? requested : "public";
	const now = new Date();
	const id = newId(now);
	const row = {
		id,
		uri: `${account.uri}/statuses/${id}/activity`,
		url: null,
		accountId: account.id,
		local: true,
		reblogOfId: original.id,
		content: "",
		visibility,
		createdAt: now,
	};
	const [followerCount] = await db.batch([countLocalFollowersQuery(db, account.id)]);
	const statements: Statement[] = [
		db.insert(statuses).values(row).returning(),
		recountReblogs(db, original.id),
		sqlRun(
			db,
			sql`update accounts set statuses_count = statuses_count + 1, last_status_at = ${now.getTime()}
			where id = ${account.id}`,
		),
		notifyStatement(db, {
			type: "reblog",
			accountIds: [original.accountId],
			fromAccountId: account.id,
			statusId: original.id,
		}),
	];
	const queued = await appendFanOut(
		db,
		statements,
		{
			statusId: id,
			authorId: account.id,
			visibility,
			reblogOf: { id: original.id, accountId: original.accountId },
			inReplyToAccountId: null,
			mentionedIds: [],
		},
		followerCount[0]?.n ?? 0,
	);
	statements.push(
		publishOutboxEvent(db, { type: "reblog.created", statusId: id }),
		...(await indexOnInteraction(db, account, original)),
	);
	const results = await db.batch(asBatch(statements));
	await queueNotificationPushes(ctx.env, statements, results);
	if (queued) await ctx.env.JOBS_QUEUE.send({ type: "timeline.fanout", statusId: id } satisfies JobMessage);
	const [created] = results[0] as Status[];
	if (!created) throw new Error("The boost was not stored");
	return created;
}

/** Undoes the account's boost of `original`, if any. */
export async function unreblogStatus(ctx: PostingContext, account: Account, original: Status): Promise<void> {
	const { db } = ctx;
	const boost = await findReblog(db, account.id, original.id);
	if (!boost) return;
	await db.batch([
		// First, while the boost is there: a concurrent unboost that removed it first has told the others.
		publishOutboxEvent(
			db,
			{ type: "reblog.deleted", statusId: boost.id, accountId: account.id, uri: boost.uri, reblogOfId: original.id },
			{ when: sql`exists (select 1 from statuses where id = ${boost.id})` },
		),
		removeFromFeeds(db, boost.id, account.id),
		db.delete(statuses).where(eq(statuses.id, boost.id)),
		recountReblogs(db, original.id),
		sqlRun(db, sql`update accounts set statuses_count = max(statuses_count - 1, 0) where id = ${account.id}`),
		retractNotificationStatement(db, { type: "reblog", fromAccountId: account.id, statusId: original.id }),
	]);
}
