import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type CustomEmoji, customEmojis } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { sniffImageType } from "../../lib/image-probe";

const SHORTCODE = /^[a-zA-Z0-9_]{2,64}$/;
const MAX_EMOJI_BYTES = 256 * 1024;

/** Stores an emoji image in R2 and registers its shortcode. */
export async function addCustomEmoji(
	db: Db,
	bucket: R2Bucket,
	shortcode: string,
	bytes: Uint8Array,
	category: string | null = null,
): Promise<CustomEmoji> {
	if (!SHORTCODE.test(shortcode)) {
		throw new ValidationError("shortcode", "Shortcode must be 2 to 64 letters, digits or underscores");
	}
	if (bytes.byteLength > MAX_EMOJI_BYTES) throw new ValidationError("file", "Emoji images must be under 256 KiB");
	const contentType = sniffImageType(bytes);
	if (contentType !== "image/png" && contentType !== "image/gif" && contentType !== "image/webp") {
		throw new ValidationError("file", "Emoji images must be PNG, GIF or WebP");
	}
	const existing = await db
		.select({ id: customEmojis.id })
		.from(customEmojis)
		.where(eq(customEmojis.shortcode, shortcode));
	if (existing.length > 0) throw new ValidationError("shortcode", "Shortcode is already taken");
	const id = newId();
	const extension = contentType.slice("image/".length);
	const fileKey = `emojis/${id}/${shortcode}.${extension}`;
	await bucket.put(fileKey, bytes, {
		httpMetadata: { contentType, cacheControl: "public, max-age=31536000, immutable" },
	});
	const [emoji] = await db
		.insert(customEmojis)
		.values({ id, shortcode, fileKey, contentType, category, visibleInPicker: true, createdAt: new Date() })
		.returning();
	return emoji as CustomEmoji;
}

export async function listCustomEmojis(db: Db): Promise<CustomEmoji[]> {
	return db.select().from(customEmojis).orderBy(asc(customEmojis.shortcode));
}

/** Deletes an emoji and its image; undefined when there is none with that id. */
export async function removeCustomEmoji(db: Db, bucket: R2Bucket, id: string): Promise<CustomEmoji | undefined> {
	const [removed] = await db.delete(customEmojis).where(eq(customEmojis.id, id)).returning();
	if (removed) await bucket.delete(removed.fileKey);
	return removed;
}
