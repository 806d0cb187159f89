import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { announcementReactions, announcementReads, customEmojis } from "../../db/schema";
import { ValidationError } from "../../lib/errors";

/** Mastodon's cap on different emojis under one announcement. */
export const REACTION_KINDS_LIMIT = 8;

// One emoji as Unicode lists it (including sequences such as flags and skin tones).
const RGI_EMOJI = /^\p{RGI_Emoji}$/v;

/** A Unicode emoji, also when typed without its variation selector (❤ for ❤️). */
export function isUnicodeEmoji(name: string): boolean {
	return RGI_EMOJI.test(name) || RGI_EMOJI.test(`${name}\uFE0F`);
}

/** Marks the announcement as read for the account ("dismiss"); doing it twice is harmless. */
export async function dismissAnnouncement(db: Db, announcementId: string, accountId: string): Promise<void> {
	await db.insert(announcementReads).values({ announcementId, accountId, createdAt: new Date() }).onConflictDoNothing();
}

/**
 * Adds the account's reaction: a Unicode emoji or the shortcode of a local
 * custom emoji, at most eight different ones per announcement. Reacting again
 * with the same emoji changes nothing.
 */
export async function addReaction(db: Db, announcementId: string, accountId: string, name: string): Promise<void> {
	const [emojis, kinds] = await db.batch([
		db.select({ id: customEmojis.id }).from(customEmojis).where(eq(customEmojis.shortcode, name)).limit(1),
		db
			.select({ name: announcementReactions.name })
			.from(announcementReactions)
			.where(eq(announcementReactions.announcementId, announcementId))
			.groupBy(announcementReactions.name),
	]);
	const customEmojiId = emojis[0]?.id ?? null;
	if (!customEmojiId && !isUnicodeEmoji(name)) throw new ValidationError("name", "Name is not a recognized emoji");
	const known = kinds.some((kind) => kind.name === name);
	if (!known && kinds.length >= REACTION_KINDS_LIMIT) {
		throw new ValidationError("base", "Limit of different reactions reached");
	}
	await db
		.insert(announcementReactions)
		.values({ announcementId, accountId, name, customEmojiId, createdAt: new Date() })
		.onConflictDoNothing();
}

/** Removes the account's reaction; false when it had none with that name (404 in the API, as in Mastodon). */
export async function removeReaction(
	db: Db,
	announcementId: string,
	accountId: string,
	name: string,
): Promise<boolean> {
	const deleted = await db
		.delete(announcementReactions)
		.where(
			and(
				eq(announcementReactions.announcementId, announcementId),
				eq(announcementReactions.accountId, accountId),
				eq(announcementReactions.name, name),
			),
		)
		.returning({ name: sql`name` });
	return deleted.length > 0;
}
