import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import {
	type Account,
	bookmarks,
	conversationMutes,
	favourites,
	type Status,
	statuses,
	statusPins,
} from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { notifyStatement, queueNotificationPushes, retractNotificationStatement } from "../notifications/write";
import { indexOnInteraction } from "../search/indexing";
import { STATUS_LIMITS } from "./limits";
import { asBatch } from "./writes";

/**
 * Favourites, bookmarks, pins and conversation mutes of a status the caller
 * has already checked the account may see. Each is idempotent, as in Mastodon.
 */
export interface InteractionContext {
	env: Pick<Env, "JOBS_QUEUE">;
	db: Db;
}

function recountFavourites(db: Db, statusId: string) {
	return sqlRun(
		db,
		sql`update statuses set favourites_count =
		(select count(*) from favourites where status_id = ${statusId}) where id = ${statusId}`,
	);
}

export async function favouriteStatus(ctx: InteractionContext, account: Account, status: Status): Promise<void> {
	const { db } = ctx;
	const id = newId();
	const insert = db
		.insert(favourites)
		.values({
			id,
			accountId: account.id,
			statusId: status.id,
			uri: `${account.uri}#likes/${id}`,
			createdAt: new Date(),
		})
		.onConflictDoNothing()
		.returning({ id: favourites.id });
	// A Like goes to the author of a remote post, and only if this favourite is new.
	const like = status.local
		? []
		: [
				publishOutboxEvent(
					db,
					{ type: "favourite.created", favouriteId: id },
					{ when: sql`exists (select 1 from favourites where id = ${id})` },
				),
			];
	const [inserted] = await db.batch([insert, ...like, ...(await indexOnInteraction(db, account, status))]);
	if (inserted.length === 0) return;
	const statements = [
		recountFavourites(db, status.id),
		notifyStatement(db, {
			type: "favourite",
			accountIds: [status.accountId],
			fromAccountId: account.id,
			statusId: status.id,
		}),
	] as const;
	const results = await db.batch(statements);
	await queueNotificationPushes(ctx.env, statements, results);
}

export async function unfavouriteStatus(ctx: InteractionContext, account: Account, status: Status): Promise<void> {
	const { db } = ctx;
	const [row] = await db
		.select({ id: favourites.id, uri: favourites.uri })
		.from(favourites)
		.where(and(eq(favourites.accountId, account.id), eq(favourites.statusId, status.id)))
		.limit(1);
	if (!row) return;
	await db.batch(
		asBatch([
			// Before the delete, and only if this call is the one that removes it.
			...(status.local
				? []
				: [
						publishOutboxEvent(
							db,
							{ type: "favourite.deleted", accountId: account.id, statusId: status.id, uri: row.uri ?? "" },
							{ when: sql`exists (select 1 from favourites where id = ${row.id})` },
						),
					]),
			db.delete(favourites).where(eq(favourites.id, row.id)),
			recountFavourites(db, status.id),
			retractNotificationStatement(db, { type: "favourite", fromAccountId: account.id, statusId: status.id }),
		]),
	);
}

export async function bookmarkStatus(db: Db, account: Account, status: Status): Promise<void> {
	await db.batch([
		db
			.insert(bookmarks)
			.values({ id: newId(), accountId: account.id, statusId: status.id, createdAt: new Date() })
			.onConflictDoNothing(),
		...(await indexOnInteraction(db, account, status)),
	]);
}

export async function unbookmarkStatus(db: Db, account: Account, status: Status): Promise<void> {
	await db.delete(bookmarks).where(and(eq(bookmarks.accountId, account.id), eq(bookmarks.statusId, status.id)));
}

/** Pins one of the account's own public or unlisted posts to its profile; at most five. */
export async function pinStatus(db: Db, account: Account, status: Status): Promise<void> {
	if (status.accountId !== account.id) throw new ValidationError("status", "You can only pin your own posts");
	if (status.reblogOfId) throw new ValidationError("status", "Boosts cannot be pinned");
	if (status.visibility !== "public" && status.visibility !== "unlisted") {
		throw new ValidationError("status", "Only public and unlisted posts can be pinned");
	}
	const [pinned] = await db
		.select({ n: sql<number>`count(*)` })
		.from(statusPins)
		.innerJoin(statuses, eq(statuses.id, statusPins.statusId))
		.where(and(eq(statusPins.accountId, account.id), isNull(statuses.deletedAt)));
	const already = await db
		.select({ id: statusPins.statusId })
		.from(statusPins)
		.where(and(eq(statusPins.accountId, account.id), eq(statusPins.statusId, status.id)));
	if (already.length > 0) return;
	if ((pinned?.n ?? 0) >= STATUS_LIMITS.maxPinned) {
		throw new ValidationError("status", `You cannot pin more than ${STATUS_LIMITS.maxPinned} posts`);
	}
	await db
		.insert(statusPins)
		.values({ accountId: account.id, statusId: status.id, createdAt: new Date() })
		.onConflictDoNothing();
}

export async function unpinStatus(db: Db, account: Account, status: Status): Promise<void> {
	await db.delete(statusPins).where(and(eq(statusPins.accountId, account.id), eq(statusPins.statusId, status.id)));
}

/** The thread a status belongs to; a status without one is its own thread. */
function conversationOf(status: Status): string {
	return status.conversationId ?? status.id;
}

export async function muteConversation(db: Db, account: Account, status: Status): Promise<void> {
	await db
		.insert(conversationMutes)
		.values({ accountId: account.id, conversationId: conversationOf(status), createdAt: new Date() })
		.onConflictDoNothing();
}

export async function unmuteConversation(db: Db, account: Account, status: Status): Promise<void> {
	await db
		.delete(conversationMutes)
		.where(
			and(eq(conversationMutes.accountId, account.id), eq(conversationMutes.conversationId, conversationOf(status))),
		);
}
