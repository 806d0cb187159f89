import { and, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { inboxActivities, outboxActivities } from "../db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Peers retry a delivery for about two days (Mastodon) to a week; a redelivery within this is still a duplicate. */
export const INBOX_DEDUPE_WINDOW_MS = 7 * DAY_MS;

/**
 * Deliveries finish within about 2.5 days (16 attempts per inbox, see
 * delivery/run.ts) and delete their row; what is older was left by a bug or a
 * deploy of the old message format, and is kept a little longer for a look.
 */
export const OUTBOX_RETENTION_MS = 4 * DAY_MS;

/** The UTC hour of the one cron run a day that prunes inbound activities. */
const INBOX_PRUNE_HOUR = 4;

/**
 * Drops inbound activities past the dedupe window and deliveries past their
 * retries. Outbound rows are few (only unfinished ones are kept), so they are
 * pruned on every run; inbound ones are looked through once a day, since
 * finding the old ones reads the whole table (an index on their age would
 * cost a row written with every activity received). What a dead letter
 * still points at stays: an admin may replay it.
 */
export async function pruneFederationLogs(db: Db, now = Date.now(), options: { inbox?: boolean } = {}): Promise<void> {
	const inbox = options.inbox ?? isInboxPruneRun(now);
	await db.batch([
		db.delete(outboxActivities).where(
			and(
				lt(outboxActivities.createdAt, new Date(now - OUTBOX_RETENTION_MS)),
				sql`${outboxActivities.id} not in (select json_extract(body, '$.deliveryId') from dead_letters
						where json_extract(body, '$.deliveryId') is not null)`,
			),
		),
		...(inbox
			? [
					db.delete(inboxActivities).where(
						and(
							lt(inboxActivities.createdAt, new Date(now - INBOX_DEDUPE_WINDOW_MS)),
							sql`${inboxActivities.uri} not in (select json_extract(body, '$.uri') from dead_letters
									where queue = 'tern-inbox' and json_extract(body, '$.uri') is not null)`,
						),
					),
				]
			: []),
	]);
}

/** True for the first cron run of INBOX_PRUNE_HOUR (the cron fires every ten minutes). */
export function isInboxPruneRun(scheduledTime: number): boolean {
	const at = new Date(scheduledTime);
	return at.getUTCHours() === INBOX_PRUNE_HOUR && at.getUTCMinutes() < 10;
}
