import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type MediaAttachment, type MediaType, mediaAttachments } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { AUDIO_MIME_TYPES, MEDIA_FILE_EXTENSIONS, MEDIA_LIMITS, VIDEO_MIME_TYPES } from "../../lib/limits";
import type { JobMessage } from "../../queues/messages";
import { checkImage, putMediaFile } from "./files";
import { type ProcessedImage, processImage, shouldDefer } from "./processing";

export interface UploadInput {
	file: File;
	description?: string;
	focus?: string;
}

/** `"x,y"` with both in [-1, 1], as Mastodon's focal points. */
export function parseFocus(text: string): { x: number; y: number } {
	const parts = text.split(",").map((part) => Number(part.trim()));
	const [x, y] = parts;
	if (
		parts.length !== 2 ||
		x === undefined ||
		y === undefined ||
		![x, y].every((n) => Number.isFinite(n) && n >= -1 && n <= 1)
	) {
		throw new ValidationError("focus", 'Focus must be two numbers between -1 and 1, as "x,y"');
	}
	return { x, y };
}

function checkDescription(description: string | undefined): void {
	if (description !== undefined && [...description].length > MEDIA_LIMITS.descriptionLimit) {
		throw new ValidationError(
			"description",
			`Description is too long (maximum is ${MEDIA_LIMITS.descriptionLimit} characters)`,
		);
	}
}

export interface UploadContext {
	db: Db;
	env: Pick<Env, "MEDIA" | "IMAGES" | "JOBS_QUEUE">;
}

/**
 * Stores an upload as is: images are checked by their bytes and measured from
 * their headers; audio and video are taken by their declared type. Originals
 * are never transcoded. Images also get a blurhash (and a small version when
 * large): right away when small or when `mayDefer` is false (POST
 * /api/v1/media), otherwise in the jobs queue, and until then the attachment
 * is `processing`.
 */
export async function uploadMedia(
	ctx: UploadContext,
	accountId: string,
	input: UploadInput,
	options: { mayDefer: boolean },
): Promise<MediaAttachment> {
	const { db, env } = ctx;
	checkDescription(input.description);
	const focus = input.focus ? parseFocus(input.focus) : undefined;
	const declared = (input.file.type || "").split(";")[0]?.trim().toLowerCase() ?? "";
	const id = newId();
	let type: MediaType;
	let contentType: string;
	let extension: string;
	let bytes: Uint8Array;
	let width: number | null = null;
	let height: number | null = null;
	let processed: ProcessedImage = { blurhash: null, thumbnailKey: null };
	let deferred = false;
	if (
		(VIDEO_MIME_TYPES as readonly string[]).includes(declared) ||
		(AUDIO_MIME_TYPES as readonly string[]).includes(declared)
	) {
		if (input.file.size > MEDIA_LIMITS.videoSizeLimit) {
			throw new ValidationError(
				"file",
				`File is too large (maximum is ${MEDIA_LIMITS.videoSizeLimit / 1024 / 1024} MB)`,
			);
		}
		type = declared.startsWith("video/") ? "video" : "audio";
		contentType = declared;
		extension = MEDIA_FILE_EXTENSIONS[declared] ?? "bin";
		bytes = new Uint8Array(await input.file.arrayBuffer());
	} else {
		const image = await checkImage(input.file, "file", MEDIA_LIMITS.imageSizeLimit);
		if (image.size && image.size.width * image.size.height > MEDIA_LIMITS.imageMatrixLimit) {
			throw new ValidationError("file", "Image has too many pixels");
		}
		type = "image";
		contentType = image.contentType;
		extension = image.extension;
		bytes = image.bytes;
		width = image.size?.width ?? null;
		height = image.size?.height ?? null;
		deferred = options.mayDefer && shouldDefer(image.size);
		if (!deferred) processed = await processImage(env, id, image.bytes, image.contentType, image.size);
	}
	const fileKey = `media/${id}/original.${extension}`;
	await putMediaFile(env.MEDIA, fileKey, bytes, contentType);
	const [row] = await db
		.insert(mediaAttachments)
		.values({
			id,
			accountId,
			type,
			fileKey,
			contentType,
			fileSize: bytes.byteLength,
			width,
			height,
			blurhash: processed.blurhash,
			thumbnailKey: processed.thumbnailKey,
			processing: deferred,
			description: input.description ?? null,
			focusX: focus?.x ?? null,
			focusY: focus?.y ?? null,
			createdAt: new Date(),
		})
		.returning();
	if (deferred) await env.JOBS_QUEUE.send({ type: "media.process", mediaId: id } satisfies JobMessage);
	return row as MediaAttachment;
}

export async function findOwnMedia(db: Db, accountId: string, id: string): Promise<MediaAttachment | undefined> {
	const rows = await db
		.select()
		.from(mediaAttachments)
		.where(and(eq(mediaAttachments.id, id), eq(mediaAttachments.accountId, accountId)))
		.limit(1);
	return rows[0];
}

export async function updateMedia(
	db: Db,
	media: MediaAttachment,
	input: { description?: string; focus?: string },
): Promise<MediaAttachment> {
	checkDescription(input.description);
	const changes: Partial<MediaAttachment> = {};
	if (input.description !== undefined) changes.description = input.description;
	if (input.focus !== undefined) {
		const focus = parseFocus(input.focus);
		changes.focusX = focus.x;
		changes.focusY = focus.y;
	}
	if (Object.keys(changes).length === 0) return media;
	const [row] = await db.update(mediaAttachments).set(changes).where(eq(mediaAttachments.id, media.id)).returning();
	return row as MediaAttachment;
}

export async function deleteMedia(db: Db, bucket: R2Bucket, media: MediaAttachment): Promise<void> {
	await db.delete(mediaAttachments).where(eq(mediaAttachments.id, media.id));
	const keys = [media.fileKey, media.thumbnailKey].filter((key): key is string => !!key);
	if (keys.length > 0) await bucket.delete(keys);
}
