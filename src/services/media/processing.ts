import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { mediaAttachments } from "../../db/schema";
import { type ImageSize, imageSize, type ProbedImageType, sniffImageType } from "../../lib/image-probe";
import { blurhashOf, pngPixels } from "../../lib/images/blurhash";
import { hashThumbnailSize, needsSmallVersion, smallFormat, smallSize } from "../../lib/images/small-version";
import { putMediaFile } from "./files";

/**
 * Uploads larger than this get their blurhash and small version in the jobs
 * queue when the client allows it (POST /api/v2/media answers 202 meanwhile),
 * as Mastodon does. The Worker's own work is small either way: Cloudflare
 * Images resizes, and the Worker only hashes a 32-pixel thumbnail; what stays
 * is the wall time of two transformations of a large image.
 */
export const SYNC_PROCESSING_PIXELS = 500_000;

export interface ProcessedImage {
	blurhash: string | null;
	/** The small version's key, when one was worth storing. */
	thumbnailKey: string | null;
}

const UNPROCESSED: ProcessedImage = { blurhash: null, thumbnailKey: null };

/** Whether an upload of this size is processed in the background when the client allows it (POST /api/v2/media). */
export function shouldDefer(size: ImageSize | undefined): boolean {
	return size !== undefined && size.width * size.height > SYNC_PROCESSING_PIXELS;
}

type ImageEnv = Pick<Env, "MEDIA" | "IMAGES">;

function stream(bytes: Uint8Array): ReadableStream<Uint8Array> {
	return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
}

async function transformed(
	images: ImagesBinding,
	bytes: Uint8Array,
	size: ImageSize,
	format: "image/png" | "image/jpeg" | "image/webp",
): Promise<Uint8Array> {
	// "squeeze" gives exactly these dimensions (they keep the aspect already), which the serializer reports.
	const result = await images
		.input(stream(bytes))
		.transform({ width: size.width, height: size.height, fit: "squeeze" })
		.output({ format });
	return new Uint8Array(await result.response().arrayBuffer());
}

/**
 * Asks Cloudflare Images for a tiny PNG of the upload, hashes its pixels, and,
 * when the image is larger than Mastodon's small version, stores a downscaled
 * copy as its preview (only if that copy is less than half the original's
 * size: a PNG of a photo often is not). A file that passed the header checks
 * but that Images cannot read keeps a null blurhash: the upload is still
 * good, only its placeholder is missing.
 */
export async function processImage(
	env: ImageEnv,
	mediaId: string,
	bytes: Uint8Array,
	type: ProbedImageType,
	knownSize?: ImageSize,
): Promise<ProcessedImage> {
	let blurhash: string;
	let small: Uint8Array | undefined;
	const format = smallFormat(type);
	try {
		const size = knownSize ?? (await env.IMAGES.info(stream(bytes)));
		if (!("width" in size) || !size.width || !size.height) throw new Error("no dimensions");
		const original = { width: size.width, height: size.height };
		blurhash = blurhashOf(pngPixels(await transformed(env.IMAGES, bytes, hashThumbnailSize(original), "image/png")));
		if (needsSmallVersion(original)) {
			small = await transformed(env.IMAGES, bytes, smallSize(original), format.contentType);
		}
	} catch (error) {
		console.warn(`Media ${mediaId}: no blurhash, Images could not read the ${type}:`, String(error));
		return UNPROCESSED;
	}
	if (!small || small.byteLength * 2 > bytes.byteLength) return { blurhash, thumbnailKey: null };
	const thumbnailKey = `media/${mediaId}/small.${format.extension}`;
	await putMediaFile(env.MEDIA, thumbnailKey, small, format.contentType);
	return { blurhash, thumbnailKey };
}

/**
 * The jobs-queue side of a deferred upload: processes the stored original and
 * marks the attachment ready. Storage errors throw, so the message is retried;
 * an attachment deleted meanwhile is left alone (and the new small version removed).
 */
export async function processStoredMedia(db: Db, env: ImageEnv, mediaId: string): Promise<void> {
	const [media] = await db.select().from(mediaAttachments).where(eq(mediaAttachments.id, mediaId)).limit(1);
	if (!media?.processing) return;
	let result = UNPROCESSED;
	const object = media.fileKey ? await env.MEDIA.get(media.fileKey) : null;
	if (object) {
		const bytes = new Uint8Array(await object.arrayBuffer());
		const type = sniffImageType(bytes);
		if (type) result = await processImage(env, media.id, bytes, type, imageSize(bytes, type));
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
	if (!still) await env.MEDIA.delete(result.thumbnailKey);
}
