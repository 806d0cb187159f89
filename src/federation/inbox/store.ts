import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type InboxActivity, inboxActivities } from "../../db/schema";
import { newId } from "../../lib/ids";
import { markDomainAvailable } from "../delivery/domains";
import type { ParsedActivity } from "../parse";

/**
 * Stores a verified activity unless its id was seen before; returns the new
 * row's id, or null for a duplicate. The sender's host answered us, so any
 * delivery failures recorded for it are cleared in the same batch.
 */
export async function recordInboxActivity(
	db: Db,
	activity: ParsedActivity,
	recipientAccountId: string | null,
	senderHost: string | null,
): Promise<string | null> {
	const insert = db
		.insert(inboxActivities)
		.values({
			id: newId(),
			uri: activity.id,
			actorUri: activity.actor,
			type: activity.type,
			body: activity.raw,
			recipientAccountId,
			createdAt: new Date(),
		})
		.onConflictDoNothing({ target: inboxActivities.uri })
		.returning({ id: inboxActivities.id });
	if (!senderHost) return (await insert)[0]?.id ?? null;
	const [inserted] = await db.batch([insert, markDomainAvailable(db, senderHost)]);
	return inserted[0]?.id ?? null;
}

export async function findInboxActivity(db: Db, id: string): Promise<InboxActivity | undefined> {
	const rows = await db.select().from(inboxActivities).where(eq(inboxActivities.id, id)).limit(1);
	return rows[0];
}

export function markInboxActivityProcessed(db: Db, id: string) {
	return db.update(inboxActivities).set({ processedAt: new Date() }).where(eq(inboxActivities.id, id));
}
