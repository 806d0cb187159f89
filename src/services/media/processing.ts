import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { mediaAttachments } from "../../db/schema";
import { type ImageSize, type ProbedImageType, sniffImageType } from "../../lib/image-probe";
import { blurhashOf } from "../../lib/images/blurhash";
import { decodePixels, MAX_DECODE_PIXELS } from "../../lib/images/decode";
import type { Size } from "../../lib/images/pixels";
import { makeThumbnail, needsSmallVersion, smallSize } from "../../lib/images/thumbnail";
import { putMediaFile } from "./files";

/**
 * Uploads of up to this many pixels get their blurhash while the client
 * waits; larger ones go to the jobs queue. JPEG and PNG decoding is pure
 * JavaScript and was measured in workerd at roughly 90–150 ms of CPU per
 * megapixel (WebP, in WebAssembly, about 25 ms), so half a megapixel keeps an
 * upload request around 100 ms at worst.
 */
export const SYNC_PROCESSING_PIXELS = 500_000;

export interface ProcessedImage {
	blurhash: string | null;
	/** The small version's key, when one was worth storing. */
	thumbnailKey: string | null;
}

const UNPROCESSED: ProcessedImage = { blurhash: null, thumbnailKey: null };

/** Whether an image can be decoded: its size is known and few enough pixels fit in a Worker's memory. */
export function isDecodable(size: ImageSize | undefined): size is ImageSize {
	return size !== undefined && size.width * size.height <= MAX_DECODE_PIXELS;
}

/** Whether an upload of this size is processed in the background when the client allows it (POST /api/v2/media). */
export function shouldDefer(size: ImageSize | undefined): boolean {
	return isDecodable(size) && size.width * size.height > SYNC_PROCESSING_PIXELS;
}

/**
 * A PNG small version of a photo takes about 2 bytes a pixel, so from a lossy
 * original (JPEG, WebP) it only pays off when the original is at least twice
 * that; PNG and GIF originals are lossless like it, so it is always tried.
 */
function worthSmallVersion(size: Size, originalBytes: number, type: ProbedImageType): boolean {
	if (!needsSmallVersion(size)) return false;
	if (type === "image/png" || type === "image/gif") return true;
	const small = smallSize(size);
	return originalBytes >= 4 * small.width * small.height;
}

/**
 * Decodes an upload, hashes it and, when the image is larger than Mastodon's
 * small version, stores a downscaled copy as its preview (only if that copy is
 * less than half the original's size: a PNG of a photo often is not). A file
 * that passed the header checks but will not decode keeps a null blurhash:
 * the upload is still good, only its placeholder is missing.
 */
export async function processImage(
	bucket: R2Bucket,
	mediaId: string,
	bytes: Uint8Array,
	type: ProbedImageType,
): Promise<ProcessedImage> {
	let blurhash: string;
	let thumbnail: ReturnType<typeof makeThumbnail> | undefined;
	try {
		const pixels = await decodePixels(bytes, type);
		thumbnail = worthSmallVersion(pixels, bytes.byteLength, type) ? makeThumbnail(pixels) : undefined;
		blurhash = blurhashOf(thumbnail?.pixels ?? pixels);
	} catch (error) {
		console.warn(`Media ${mediaId}: no blurhash, the ${type} did not decode:`, String(error));
		return UNPROCESSED;
	}
	if (!thumbnail || thumbnail.bytes.byteLength * 2 > bytes.byteLength) return { blurhash, thumbnailKey: null };
	const thumbnailKey = `media/${mediaId}/small.${thumbnail.extension}`;
	await putMediaFile(bucket, thumbnailKey, thumbnail.bytes, thumbnail.contentType);
	return { blurhash, thumbnailKey };
}

/**
 * The jobs-queue side of a deferred upload: processes the stored original and
 * marks the attachment ready. Storage errors throw, so the message is retried;
 * an attachment deleted meanwhile is left alone (and the new small version removed).
 */
export async function processStoredMedia(db: Db, bucket: R2Bucket, mediaId: string): Promise<void> {
	const [media] = await db.select().from(mediaAttachments).where(eq(mediaAttachments.id, mediaId)).limit(1);
	if (!media?.processing) return;
	let result = UNPROCESSED;
	const object = media.fileKey ? await bucket.get(media.fileKey) : null;
	if (object) {
		const bytes = new Uint8Array(await object.arrayBuffer());
		const type = sniffImageType(bytes);
		if (type) result = await processImage(bucket, media.id, bytes, type);
	} else {
		console.warn(`Media ${media.id}: original file missing, marked ready without a blurhash`);
	}
	const updated = await db
		.update(mediaAttachments)
		.set({ processing: false, blurhash: result.blurhash, thumbnailKey: result.thumbnailKey })
		.where(and(eq(mediaAttachments.id, media.id), eq(mediaAttachments.processing, true)))
		.returning({ id: mediaAttachments.id });
	if (updated.length > 0 || !result.thumbnailKey) return;
	// Not updated: either a duplicate delivery finished first (and uses the same key) or the upload is gone.
	const [still] = await db
		.select({ id: mediaAttachments.id })
		.from(mediaAttachments)
		.where(eq(mediaAttachments.id, media.id));
	if (!still) await bucket.delete(result.thumbnailKey);
}
