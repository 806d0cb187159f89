import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { sqlRun } from "../../db/queries/raw";
import { newId } from "../../lib/ids";
import { type InboxMessage, SEND_BATCH_LIMIT } from "../../queues/messages";
import { countInboxAttempt } from "./store";

/**
 * Inbound activities acknowledged with a 202 but never processed: the
 * isolate died during its waitUntil, or the queue lost or dropped the retry.
 * Found through the partial index on unprocessed rows, so looking reads only
 * those.
 */

/** Processing right after the 202 is over (or dead) by then: waitUntil lasts at most 30 s. */
export const INBOX_GRACE_MS = 60 * 1000;
/**
 * An activity handed to the queue is the queue's while the queue can still
 * hold it (messages are kept 24 hours on the Free plan); after that it is
 * handed over again, up to MAX_INBOX_ATTEMPTS times, then given up.
 */
export const QUEUE_RETENTION_MS = 24 * 60 * 60 * 1000;
export const MAX_INBOX_ATTEMPTS = 3;
const SWEEP_LIMIT = 200;

export interface InboxSweep {
	queued: number;
	givenUp: number;
}

export async function sweepInbox(ctx: ServiceContext, now = Date.now()): Promise<InboxSweep> {
	const { db } = ctx;
	const rows = await db.all<{ uri: string; attempts: number; createdAt: number }>(
		sql`select uri, attempts, created_at as createdAt from inbox_activities
			where processed_at is null and created_at < ${now - INBOX_GRACE_MS}
			order by created_at limit ${SWEEP_LIMIT}`,
	);
	const owed = rows.filter((r) => r.attempts === 0 || r.createdAt < now - r.attempts * QUEUE_RETENTION_MS);
	const givenUp = owed.filter((r) => r.attempts >= MAX_INBOX_ATTEMPTS).map((r) => r.uri);
	const queued = owed.filter((r) => r.attempts < MAX_INBOX_ATTEMPTS).map((r) => r.uri);
	if (givenUp.length > 0) {
		const uris = JSON.stringify(givenUp);
		console.error(`Inbound activities given up after ${MAX_INBOX_ATTEMPTS} hand-overs: ${givenUp.join(", ")}`);
		await db.batch([
			sqlRun(
				db,
				sql`insert into dead_letters (id, queue, body, attempts, created_at)
				select ${newId(now)} || '-' || row_number() over (), 'tern-inbox', json_object('type', 'inbox.activity', 'uri', i.uri),
					i.attempts, ${now}
				from inbox_activities i where i.uri in (select value from json_each(${uris}))`,
			),
			sqlRun(
				db,
				sql`update inbox_activities set processed_at = ${now} where uri in (select value from json_each(${uris}))`,
			),
		]);
	}
	for (let start = 0; start < queued.length; start += SEND_BATCH_LIMIT) {
		const chunk = queued.slice(start, start + SEND_BATCH_LIMIT);
		await ctx.env.INBOX_QUEUE.sendBatch(
			chunk.map((uri) => ({ body: { type: "inbox.activity", uri } satisfies InboxMessage })),
		);
		await countInboxAttempt(db, chunk);
	}
	return { queued: queued.length, givenUp: givenUp.length };
}
