import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, type DataImport, dataImports } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { assertNoImportRunning } from "./imports";

/**
 * How a Mastodon archive arrives (the first part of archive-import.ts's
 * journey): the page sends it in parts to an R2 multipart upload, and the
 * finished file goes to the jobs queue for its import.
 */

export const ARCHIVE_PART_SIZE = 10 * 1024 * 1024;
/** An archive can be large, but not without end: R2 takes 10,000 parts of 10 MiB. */
export const ARCHIVE_SIZE_LIMIT = 10_000 * ARCHIVE_PART_SIZE;
export const archiveKey = (importId: string) => `imports/${importId}/archive.zip`;

/** Starts receiving an archive: an R2 multipart upload the page sends parts to. */
export async function startArchiveUpload(
	ctx: { db: Db; env: Pick<Env, "MEDIA"> },
	account: Account,
	input: { filename: string | null; size: number },
): Promise<DataImport> {
	if (!Number.isFinite(input.size) || input.size <= 0) throw new ValidationError("file", "The archive is empty");
	if (input.size > ARCHIVE_SIZE_LIMIT) throw new ValidationError("file", "The archive is too large");
	await assertNoImportRunning(ctx.db, account.id);
	const now = new Date();
	const id = newId(now);
	const key = archiveKey(id);
	const upload = await ctx.env.MEDIA.createMultipartUpload(key, { httpMetadata: { contentType: "application/zip" } });
	const [row] = await ctx.db
		.insert(dataImports)
		.values({
			id,
			accountId: account.id,
			type: "archive",
			state: "uploading",
			originalFilename: input.filename,
			fileKey: key,
			uploadId: upload.uploadId,
			progress: { size: input.size, parts: Math.ceil(input.size / ARCHIVE_PART_SIZE) },
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	return row as DataImport;
}

export async function uploadArchivePart(
	bucket: R2Bucket,
	row: DataImport,
	partNumber: number,
	body: ReadableStream | ArrayBuffer,
): Promise<R2UploadedPart> {
	if (row.state !== "uploading" || !row.fileKey || !row.uploadId) {
		throw new ValidationError("file", "This upload is finished or was never started");
	}
	const parts = Number(row.progress.parts ?? 0);
	if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > parts) {
		throw new ValidationError("part", `Part numbers go from 1 to ${parts}`);
	}
	return bucket.resumeMultipartUpload(row.fileKey, row.uploadId).uploadPart(partNumber, body);
}

/** The last part is in: the archive is put together in R2 and its import handed to the jobs queue. */
export async function completeArchiveUpload(
	ctx: { db: Db; env: Pick<Env, "MEDIA" | "JOBS_QUEUE"> },
	row: DataImport,
	parts: R2UploadedPart[],
): Promise<void> {
	if (row.state !== "uploading" || !row.fileKey || !row.uploadId) {
		throw new ValidationError("file", "This upload is finished or was never started");
	}
	await ctx.env.MEDIA.resumeMultipartUpload(row.fileKey, row.uploadId).complete(
		[...parts].sort((a, b) => a.partNumber - b.partNumber),
	);
	await queueArchiveImport(ctx, row.id);
}

/** Hands a stored archive to the jobs queue (the upload route, or a test that put the file there itself). */
export async function queueArchiveImport(ctx: { db: Db; env: Pick<Env, "JOBS_QUEUE"> }, importId: string) {
	await ctx.db
		.update(dataImports)
		.set({
			state: "queued",
			uploadId: null,
			progress: { phase: "index", chunks: 0, chunk: 0, index: 0, actor: null, duplicates: 0, media: 0 },
			updatedAt: new Date(),
		})
		.where(eq(dataImports.id, importId));
	await ctx.env.JOBS_QUEUE.send({ type: "import.step", importId } satisfies JobMessage);
}

/** An archive import for a file already in R2 under the import's key (tests, and a retried upload). */
export async function createStoredArchiveImport(
	ctx: { db: Db; env: Pick<Env, "MEDIA" | "JOBS_QUEUE"> },
	account: Account,
	bytes: Uint8Array,
	filename = "archive.zip",
): Promise<DataImport> {
	await assertNoImportRunning(ctx.db, account.id);
	const now = new Date();
	const id = newId(now);
	await ctx.env.MEDIA.put(archiveKey(id), bytes);
	await ctx.db.insert(dataImports).values({
		id,
		accountId: account.id,
		type: "archive",
		state: "queued",
		originalFilename: filename,
		fileKey: archiveKey(id),
		createdAt: now,
		updatedAt: now,
	});
	await queueArchiveImport(ctx, id);
	const [row] = await ctx.db.select().from(dataImports).where(eq(dataImports.id, id));
	return row as DataImport;
}
