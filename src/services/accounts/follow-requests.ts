import { and, count, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type FollowRequest, followRequests } from "../../db/schema";

export async function findFollowRequest(db: Db, requestId: string): Promise<FollowRequest | undefined> {
	const [row] = await db.select().from(followRequests).where(eq(followRequests.id, requestId)).limit(1);
	return row;
}

/** The request a remote Accept or Reject names by its Follow activity's id. */
export async function findFollowRequestByUri(db: Db, uri: string): Promise<FollowRequest | undefined> {
	const [row] = await db.select().from(followRequests).where(eq(followRequests.uri, uri)).limit(1);
	return row;
}

/** The pending request from `accountId` to `targetAccountId`, if any. */
export async function findFollowRequestBetween(
	db: Db,
	accountId: string,
	targetAccountId: string,
): Promise<FollowRequest | undefined> {
	const [row] = await db
		.select()
		.from(followRequests)
		.where(and(eq(followRequests.accountId, accountId), eq(followRequests.targetAccountId, targetAccountId)))
		.limit(1);
	return row;
}

/** Pending requests to follow `accountId`, for the credential account's `follow_requests_count`. */
export async function countFollowRequests(db: Db, accountId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(followRequests)
		.where(eq(followRequests.targetAccountId, accountId));
	return row?.n ?? 0;
}
