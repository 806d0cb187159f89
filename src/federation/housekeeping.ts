import { and, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { inboxActivities, outboxActivities } from "../db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Peers retry a delivery for about two days (Mastodon) to a week; a redelivery within this is still a duplicate. */
export const INBOX_DEDUPE_WINDOW_MS = 7 * DAY_MS;

/** Deliveries are retried for about 2.5 days (16 attempts, see delivery/backoff.ts); kept a little longer. */
export const OUTBOX_RETENTION_MS = 4 * DAY_MS;

/**
 * Drops processed inbox activities past the dedupe window and stored outbox
 * activities past their retries, except what a dead letter still points at:
 * an admin may replay it.
 */
export async function pruneFederationLogs(db: Db, now = Date.now()): Promise<void> {
	await db.batch([
		db.delete(inboxActivities).where(
			and(
				lt(inboxActivities.createdAt, new Date(now - INBOX_DEDUPE_WINDOW_MS)),
				sql`not exists (select 1 from dead_letters d
						where json_extract(d.body, '$.inboxActivityId') = ${inboxActivities.id})`,
			),
		),
		db.delete(outboxActivities).where(
			and(
				lt(outboxActivities.createdAt, new Date(now - OUTBOX_RETENTION_MS)),
				sql`not exists (select 1 from dead_letters d
						where json_extract(d.body, '$.activityId') = ${outboxActivities.id})`,
			),
		),
	]);
}
