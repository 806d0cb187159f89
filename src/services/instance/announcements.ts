import { and, asc, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Announcement, announcements } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";

/** Longest announcement text accepted (Mastodon sets none; this keeps the API answer bounded). */
const MAX_TEXT_LENGTH = 5000;

export interface AnnouncementInput {
	text: string;
	startsAt?: Date | null;
	endsAt?: Date | null;
	allDay?: boolean;
}

/**
 * Publishes an announcement. As in Mastodon, a time range needs both ends;
 * "all day" only makes sense with one.
 */
export async function addAnnouncement(db: Db, input: AnnouncementInput, now = new Date()): Promise<Announcement> {
	const text = input.text.trim();
	if (!text) throw new ValidationError("text", "Text can't be blank");
	if (text.length > MAX_TEXT_LENGTH) {
		throw new ValidationError("text", `Text is too long (maximum is ${MAX_TEXT_LENGTH} characters)`);
	}
	const startsAt = input.startsAt ?? null;
	const endsAt = input.endsAt ?? null;
	if ((startsAt === null) !== (endsAt === null)) {
		throw new ValidationError(startsAt ? "ends_at" : "starts_at", "Starts and ends must be given together");
	}
	if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
		throw new ValidationError("ends_at", "Ends must be after starts");
	}
	if (input.allDay && !startsAt) throw new ValidationError("all_day", "All day needs starts and ends");
	const [row] = await db
		.insert(announcements)
		.values({
			id: newId(now),
			text,
			published: true,
			publishedAt: now,
			startsAt,
			endsAt,
			allDay: input.allDay ?? false,
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	return row as Announcement;
}

/** Every announcement, newest first, for the admin. */
export async function listAllAnnouncements(db: Db): Promise<Announcement[]> {
	return db.select().from(announcements).orderBy(desc(announcements.id));
}

/** Deletes an announcement with its reactions and reads; false when there is none with that id. */
export async function removeAnnouncement(db: Db, id: string): Promise<boolean> {
	const deleted = await db.delete(announcements).where(eq(announcements.id, id)).returning({ id: announcements.id });
	return deleted.length > 0;
}

/** Published and within its window (an open end is unbounded). */
export function activeAt(now: Date) {
	return and(
		eq(announcements.published, true),
		or(isNull(announcements.startsAt), lte(announcements.startsAt, now)),
		or(isNull(announcements.endsAt), gt(announcements.endsAt, now)),
	);
}

/** What users see now, in Mastodon's chronological order. */
export async function activeAnnouncements(db: Db, now = new Date()): Promise<Announcement[]> {
	return db
		.select()
		.from(announcements)
		.where(activeAt(now))
		.orderBy(
			asc(sql`coalesce(${announcements.startsAt}, ${announcements.publishedAt}, ${announcements.createdAt})`),
			asc(announcements.id),
		);
}

/** One announcement users may act on now (dismiss, react), or undefined. */
export async function findActiveAnnouncement(db: Db, id: string, now = new Date()): Promise<Announcement | undefined> {
	const [row] = await db
		.select()
		.from(announcements)
		.where(and(eq(announcements.id, id), activeAt(now)))
		.limit(1);
	return row;
}
