import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type InboxActivity, inboxActivities } from "../../db/schema";
import { markDomainAvailable } from "../delivery/domains";
import type { ParsedActivity } from "../parse";
import { hostOf } from "../parse/values";

/**
 * Stores a verified activity unless its id was seen before; true when it is
 * new. The row is the promise to process it: written before the sender gets
 * its 202, marked once the activity took effect.
 */
export async function recordInboxActivity(
	db: Db,
	activity: ParsedActivity,
	recipientAccountId: string | null,
	now = new Date(),
): Promise<boolean> {
	const inserted = await db
		.insert(inboxActivities)
		.values({
			uri: activity.id,
			actorUri: activity.actor,
			type: activity.type,
			body: activity.raw,
			recipientAccountId,
			createdAt: now,
		})
		.onConflictDoNothing({ target: inboxActivities.uri })
		.returning({ uri: inboxActivities.uri });
	return inserted.length > 0;
}

export async function findInboxActivity(db: Db, uri: string): Promise<InboxActivity | undefined> {
	const rows = await db.select().from(inboxActivities).where(eq(inboxActivities.uri, uri)).limit(1);
	return rows[0];
}

export function markInboxActivityProcessed(db: Db, uri: string, now = new Date()) {
	return db.update(inboxActivities).set({ processedAt: now }).where(eq(inboxActivities.uri, uri));
}

/** Counts a hand-over to the inbox queue (see inbox/sweep.ts for what the count decides). */
export function countInboxAttempt(db: Db, uris: string[]) {
	return db.run(
		sql`update inbox_activities set attempts = attempts + 1
			where uri in (select value from json_each(${JSON.stringify(uris)})) and processed_at is null`,
	);
}

/** Marks an activity done; its sender answered us, so failures recorded for its host are forgotten. */
export async function finishInboxActivity(db: Db, activity: ParsedActivity): Promise<void> {
	const host = hostOf(activity.actor);
	const mark = markInboxActivityProcessed(db, activity.id);
	if (host) await db.batch([mark, markDomainAvailable(db, host)]);
	else await mark;
}
