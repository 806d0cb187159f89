import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { mediaAttachments } from "../../db/schema";
import type { JobMessage } from "../../queues/messages";

/** A processing job normally finishes within seconds; after this its message is taken as lost. */
export const STUCK_AFTER_MS = 15 * 60 * 1000;
/** After this the upload is released without a blurhash rather than retried again. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
const SWEEP_LIMIT = 100;

/**
 * Uploads whose processing job was lost (a failed queue send, a message that
 * ended in the dead-letter queue) would otherwise stay unattachable forever.
 * Recent ones get their job queued again (the job is idempotent); ones stuck
 * for a day are released as they are: the file is good, only its blurhash is missing.
 */
export async function sweepStuckMedia(db: Db, queue: Queue, now = Date.now()): Promise<void> {
	const released = await db
		.update(mediaAttachments)
		.set({ processing: false })
		.where(and(eq(mediaAttachments.processing, true), lt(mediaAttachments.createdAt, new Date(now - GIVE_UP_AFTER_MS))))
		.returning({ id: mediaAttachments.id });
	for (const { id } of released) console.warn(`Media ${id}: processing never finished, released without a blurhash`);
	const stuck = await db
		.select({ id: mediaAttachments.id })
		.from(mediaAttachments)
		.where(and(eq(mediaAttachments.processing, true), lt(mediaAttachments.createdAt, new Date(now - STUCK_AFTER_MS))))
		.limit(SWEEP_LIMIT);
	if (stuck.length === 0) return;
	await queue.sendBatch(stuck.map(({ id }) => ({ body: { type: "media.process", mediaId: id } satisfies JobMessage })));
}
