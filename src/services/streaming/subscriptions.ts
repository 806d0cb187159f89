import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { streamSubscriptions } from "../../db/schema";
import { findList } from "../timelines/lists";
import { listIdOf, mayStream, parseSubscription, StreamError, type StreamParams, type Subscription } from "./streams";

/**
 * Checks a subscription request of an account's token: known stream, the
 * token's scopes, and for a list that the account owns it (as Mastodon's
 * streaming server checks, answering "Not authorized to stream this list").
 */
export async function authorizeSubscription(
	db: Db,
	accountId: string,
	scopes: readonly string[],
	name: unknown,
	params: StreamParams,
): Promise<Subscription> {
	const subscription = parseSubscription(name, params);
	if (!mayStream(scopes, subscription.key)) {
		throw new StreamError("Access token does not cover required scopes", 401);
	}
	const listId = listIdOf(subscription.key);
	if (listId && !(await findList(db, accountId, listId))) {
		throw new StreamError("Not authorized to stream this list", 404);
	}
	return subscription;
}

/**
 * Brings the account's rows in stream_subscriptions from `recorded` to
 * `wanted` in one batch. With nothing wanted every row of the account goes,
 * whatever was recorded, so a row left by a lost connection cannot outlive
 * the next look.
 */
export async function recordSubscriptions(
	db: Db,
	accountId: string,
	recorded: readonly string[],
	wanted: readonly string[],
	now = new Date(),
): Promise<void> {
	if (wanted.length === 0) {
		await db.delete(streamSubscriptions).where(eq(streamSubscriptions.accountId, accountId));
		return;
	}
	const added = wanted.filter((key) => !recorded.includes(key));
	const removed = recorded.filter((key) => !wanted.includes(key));
	if (added.length === 0 && removed.length === 0) return;
	// Keys travel as one JSON parameter: D1 caps bound parameters per statement.
	await db.batch([
		sqlRun(
			db,
			sql`insert or ignore into stream_subscriptions (account_id, stream, created_at)
			select ${accountId}, value, ${now.getTime()} from json_each(${JSON.stringify(added)})`,
		),
		sqlRun(
			db,
			sql`delete from stream_subscriptions where account_id = ${accountId}
			and stream in (select value from json_each(${JSON.stringify(removed)}))`,
		),
	]);
}
