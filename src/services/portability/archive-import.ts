import { JSONParser } from "@streamparser/json";
import { and, asc, eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import {
	type Account,
	accounts,
	type DataImport,
	dataImportRows,
	dataImports,
	importedStatuses,
	type MediaType,
	mediaAttachments,
	type Status,
	statuses,
} from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { AUDIO_MIME_TYPES, MEDIA_LIMITS, VIDEO_MIME_TYPES } from "../../lib/limits";
import { htmlToPlainText } from "../../lib/text/html";
import type { JobMessage } from "../../queues/messages";
import { indexStatements } from "../search/indexing";
import { asBatch, mentionAndTagStatements, type Statement, statusUris } from "../statuses/writes";
import {
	type ArchiveAttachment,
	type ArchivePost,
	boostContent,
	originFooter,
	readArchiveItem,
	splitOriginFooter,
} from "./archive-items";
import { assertNoImportRunning } from "./imports";
import { ArchiveError, entryStream, entryText, type OpenArchive, openArchive } from "./zip-archive";

/**
 * Bringing a member's posts in from a Mastodon archive, which no Mastodon
 * server can. The upload arrives in R2 (a multipart upload from the page);
 * then the jobs queue, a step per message:
 * 1. reads outbox.json out of the zip with a streaming parser and writes its
 *    items to R2 in chunks (the one step whose cost grows with the archive);
 * 2. imports the items a few at a time, oldest first: original dates, content
 *    warnings, closed polls with their results, media re-hosted here with
 *    their descriptions, replies to the member's own posts kept in their
 *    thread, replies to others and boosts as links;
 * 3. takes the replies whose parent came later in the file once it exists.
 * Nothing reaches followers' home timelines or other servers as new. Each
 * post is recorded under the id it had where it was first published, so a
 * retried step or a second import of the same archive adds nothing.
 */

export const ARCHIVE_PART_SIZE = 10 * 1024 * 1024;
/** An archive can be large, but not without end: R2 takes 10,000 parts of 10 MiB. */
export const ARCHIVE_SIZE_LIMIT = 10_000 * ARCHIVE_PART_SIZE;
const ITEMS_PER_CHUNK = 50;
const ITEMS_PER_STEP = 10;
const DEFERRED_PER_STEP = 10;

/** What the queue layer hands in from federation: remote HTML is cleaned by its sanitizer. */
export interface ArchiveImportDeps {
	sanitize(html: string): Promise<string>;
}

interface ArchiveProgress {
	phase: "index" | "items" | "deferred";
	chunks: number;
	chunk: number;
	index: number;
	/** The archive's own actor id: items it attributes to itself are the member's posts. */
	actor: string | null;
	duplicates: number;
	media: number;
}

const archiveKey = (importId: string) => `imports/${importId}/archive.zip`;
const chunkKey = (importId: string, n: number) => `imports/${importId}/items/${String(n).padStart(6, "0")}.json`;

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

async function fail(db: Db, importId: string, message: string) {
	await db
		.update(dataImports)
		.set({ state: "failed", error: message, updatedAt: new Date(), finishedAt: new Date() })
		.where(eq(dataImports.id, importId));
}

/** One step of an archive import; queues the next until everything is in. */
export async function runArchiveImportStep(ctx: ServiceContext, row: DataImport, deps: ArchiveImportDeps) {
	const { db, env } = ctx;
	if (row.state !== "queued" && row.state !== "running") return;
	const [account] = await db.select().from(accounts).where(eq(accounts.id, row.accountId)).limit(1);
	if (!account || !row.fileKey) return;
	const progress = row.progress as unknown as ArchiveProgress;
	let next: ArchiveProgress | "done";
	let counts = { processed: 0, imported: 0 };
	let archive: OpenArchive | undefined;
	try {
		archive = await openArchive(env.MEDIA, row.fileKey);
		if (progress.phase === "index") {
			next = await indexArchive(ctx, row, archive, progress);
		} else if (progress.phase === "items") {
			({ next, counts } = await importChunkStep(ctx, row, account, archive, progress, deps));
		} else {
			({ next, counts } = await importDeferredStep(ctx, row, account, archive, progress, deps));
		}
	} catch (error) {
		if (error instanceof ArchiveError) {
			await fail(db, row.id, error.message);
			return;
		}
		throw error;
	} finally {
		await archive?.close();
	}
	const now = Date.now();
	const finished = next === "done";
	await db.run(sql`update data_imports set state = ${finished ? "done" : "running"},
		processed_items = processed_items + ${counts.processed}, imported_items = imported_items + ${counts.imported},
		progress = ${JSON.stringify(finished ? { ...progress, phase: "done" } : next)}, updated_at = ${now},
		finished_at = ${finished ? now : null} where id = ${row.id}`);
	if (finished) {
		await cleanUp(env.MEDIA, row, progress);
		return;
	}
	await env.JOBS_QUEUE.send({ type: "import.step", importId: row.id } satisfies JobMessage);
}

async function cleanUp(bucket: R2Bucket, row: DataImport, progress: ArchiveProgress) {
	const keys = Array.from({ length: progress.chunks }, (_, n) => chunkKey(row.id, n));
	if (row.fileKey) keys.push(row.fileKey);
	for (let start = 0; start < keys.length; start += 1000) await bucket.delete(keys.slice(start, start + 1000));
}

/** Step 1: outbox.json out of the zip, parsed as it streams, its items written to R2 a chunk at a time. */
async function indexArchive(
	ctx: ServiceContext,
	row: DataImport,
	archive: OpenArchive,
	progress: ArchiveProgress,
): Promise<ArchiveProgress> {
	const outbox = archive.entries.get("outbox.json");
	if (!outbox) throw new ArchiveError("The archive has no outbox.json: is it a Mastodon archive?");
	const actorEntry = archive.entries.get("actor.json");
	let actor: string | null = null;
	if (actorEntry) {
		try {
			const document = JSON.parse(await entryText(actorEntry)) as { id?: unknown };
			if (typeof document.id === "string") actor = document.id;
		} catch {
			// An archive without a readable actor still has posts: own replies are then told by their URIs.
		}
	}
	const parser = new JSONParser({ paths: ["$.orderedItems.*"], keepStack: false });
	let pending: unknown[] = [];
	let chunks = 0;
	let total = 0;
	const writes: Promise<unknown>[] = [];
	const flush = () => {
		if (pending.length === 0) return;
		writes.push(ctx.env.MEDIA.put(chunkKey(row.id, chunks), JSON.stringify(pending)));
		chunks++;
		pending = [];
	};
	parser.onValue = ({ value }) => {
		pending.push(value);
		total++;
		if (pending.length >= ITEMS_PER_CHUNK) flush();
	};
	const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
	const reading = outbox.getData({ writable });
	try {
		for await (const chunk of readable as unknown as AsyncIterable<Uint8Array>) parser.write(chunk);
		await reading;
	} catch (error) {
		throw new ArchiveError(`outbox.json could not be read: ${(error as Error).message}`);
	}
	flush();
	await Promise.all(writes);
	await ctx.db.update(dataImports).set({ totalItems: total }).where(eq(dataImports.id, row.id));
	return { ...progress, phase: total > 0 ? "items" : "deferred", chunks, chunk: 0, index: 0, actor };
}

type StepResult = { next: ArchiveProgress | "done"; counts: { processed: number; imported: number } };

async function importChunkStep(
	ctx: ServiceContext,
	row: DataImport,
	account: Account,
	archive: OpenArchive,
	progress: ArchiveProgress,
	deps: ArchiveImportDeps,
): Promise<StepResult> {
	const object = await ctx.env.MEDIA.get(chunkKey(row.id, progress.chunk));
	if (!object) throw new ArchiveError(`Chunk ${progress.chunk} of the archive's items is missing`);
	const items = (await object.json()) as unknown[];
	const slice = items.slice(progress.index, progress.index + ITEMS_PER_STEP);
	const counts = { processed: 0, imported: 0 };
	let duplicates = progress.duplicates;
	for (const [offset, item] of slice.entries()) {
		const position = progress.chunk * ITEMS_PER_CHUNK + progress.index + offset;
		const outcome = await importItem(ctx, row, account, archive, item, progress.actor, deps, true);
		if (outcome.state === "deferred") {
			await recordRow(
				ctx.db,
				row.id,
				position,
				{ uri: outcome.uri, chunk: progress.chunk, index: progress.index + offset },
				"pending",
				outcome.reason,
			);
			continue;
		}
		counts.processed++;
		if (outcome.state === "imported") {
			counts.imported++;
			if (outcome.reason) await recordRow(ctx.db, row.id, position, { uri: outcome.uri }, "imported", outcome.reason);
		} else if (outcome.state === "duplicate") duplicates++;
		else await recordRow(ctx.db, row.id, position, { uri: outcome.uri }, outcome.state, outcome.reason);
	}
	let { chunk, index } = progress;
	index += slice.length;
	if (index >= items.length) {
		chunk++;
		index = 0;
	}
	const phase = chunk >= progress.chunks ? "deferred" : "items";
	return { next: { ...progress, phase, chunk, index, duplicates }, counts };
}

/** Replies that came before their parent in the file, now that the parent is in (or as links if it never came). */
async function importDeferredStep(
	ctx: ServiceContext,
	row: DataImport,
	account: Account,
	archive: OpenArchive,
	progress: ArchiveProgress,
	deps: ArchiveImportDeps,
): Promise<StepResult> {
	const rows = await ctx.db
		.select()
		.from(dataImportRows)
		.where(and(eq(dataImportRows.importId, row.id), eq(dataImportRows.state, "pending")))
		.orderBy(asc(dataImportRows.position))
		.limit(DEFERRED_PER_STEP);
	if (rows.length === 0) return { next: "done", counts: { processed: 0, imported: 0 } };
	const counts = { processed: 0, imported: 0 };
	let duplicates = progress.duplicates;
	const chunks = new Map<number, unknown[]>();
	for (const pending of rows) {
		const chunk = Number(pending.data.chunk);
		let items = chunks.get(chunk);
		if (!items) {
			const object = await ctx.env.MEDIA.get(chunkKey(row.id, chunk));
			items = object ? ((await object.json()) as unknown[]) : [];
			chunks.set(chunk, items);
		}
		const outcome = await importItem(
			ctx,
			row,
			account,
			archive,
			items[Number(pending.data.index)],
			progress.actor,
			deps,
			false,
		);
		counts.processed++;
		const state = outcome.state === "imported" ? "imported" : outcome.state === "duplicate" ? "skipped" : outcome.state;
		if (outcome.state === "imported") counts.imported++;
		if (outcome.state === "duplicate") duplicates++;
		await ctx.db
			.update(dataImportRows)
			.set({
				state: state === "deferred" ? "failed" : state,
				reason:
					"reason" in outcome ? (outcome.reason ?? null) : outcome.state === "duplicate" ? "Already imported" : null,
			})
			.where(and(eq(dataImportRows.importId, row.id), eq(dataImportRows.position, pending.position)));
	}
	return { next: { ...progress, duplicates }, counts };
}

async function recordRow(
	db: Db,
	importId: string,
	position: number,
	data: Record<string, unknown>,
	state: "pending" | "imported" | "failed" | "skipped",
	reason: string,
) {
	await db
		.insert(dataImportRows)
		.values({ importId, position, data, state, reason })
		.onConflictDoUpdate({ target: [dataImportRows.importId, dataImportRows.position], set: { data, state, reason } });
}

type ItemOutcome =
	| { state: "imported"; uri: string; reason?: string }
	| { state: "duplicate"; uri: string }
	| { state: "failed" | "skipped" | "deferred"; uri: string; reason: string };

async function importItem(
	ctx: ServiceContext,
	row: DataImport,
	account: Account,
	archive: OpenArchive,
	item: unknown,
	actor: string | null,
	deps: ArchiveImportDeps,
	mayDefer: boolean,
): Promise<ItemOutcome> {
	const read = readArchiveItem(item);
	if (!read.ok) return { state: "skipped", uri: read.uri, reason: read.reason };
	const post = read.post;
	const { db } = ctx;
	const [known] = await db
		.select({ id: importedStatuses.statusId })
		.from(importedStatuses)
		.where(and(eq(importedStatuses.accountId, account.id), eq(importedStatuses.sourceUri, post.sourceUri)))
		.limit(1);
	if (known) return { state: "duplicate", uri: post.sourceUri };
	let parent: Status | null = null;
	if (post.kind === "note" && post.inReplyTo) {
		const [found] = await db
			.select({ status: statuses })
			.from(importedStatuses)
			.innerJoin(statuses, eq(statuses.id, importedStatuses.statusId))
			.where(and(eq(importedStatuses.accountId, account.id), eq(importedStatuses.sourceUri, post.inReplyTo)))
			.limit(1);
		parent = found?.status ?? null;
		const own = actor ? post.inReplyTo.startsWith(`${actor}/`) : false;
		if (!parent && own && mayDefer) {
			return { state: "deferred", uri: post.sourceUri, reason: "Its parent comes later in the archive" };
		}
	}
	const skippedMedia: string[] = [];
	const media = post.kind === "note" ? await rehostMedia(ctx, archive, post.attachments, skippedMedia) : [];
	await writeImportedPost(ctx, row, account, post, parent, media, deps);
	if (skippedMedia.length > 0) {
		return {
			state: "imported",
			uri: post.sourceUri,
			reason: `Imported without ${skippedMedia.join(", ")} (missing from the archive, too large, or not a supported type)`,
		};
	}
	return { state: "imported", uri: post.sourceUri };
}

interface RehostedMedia {
	id: string;
	type: MediaType;
	fileKey: string;
	contentType: string;
	size: number;
	attachment: ArchiveAttachment;
}

const EXTENSIONS: Record<string, string> = {
	"image/jpeg": "jpg",
	"image/png": "png",
	"image/gif": "gif",
	"image/webp": "webp",
	"video/mp4": "mp4",
	"video/webm": "webm",
	"video/quicktime": "mov",
	"audio/mpeg": "mp3",
	"audio/mp4": "m4a",
	"audio/ogg": "ogg",
	"audio/wav": "wav",
	"audio/webm": "weba",
	"audio/flac": "flac",
};

function mediaTypeOf(contentType: string): MediaType | null {
	if (contentType.startsWith("image/")) return EXTENSIONS[contentType] ? "image" : null;
	if ((VIDEO_MIME_TYPES as readonly string[]).includes(contentType)) return "video";
	if ((AUDIO_MIME_TYPES as readonly string[]).includes(contentType)) return "audio";
	return null;
}

/** The post's files copied out of the zip into this server's media storage; what cannot be taken is left out. */
async function rehostMedia(
	ctx: ServiceContext,
	archive: OpenArchive,
	attachments: ArchiveAttachment[],
	skipped: string[],
): Promise<RehostedMedia[]> {
	const out: RehostedMedia[] = [];
	for (const attachment of attachments.slice(0, 4)) {
		const entry = archive.entries.get(attachment.path);
		const contentType = (attachment.mediaType ?? "").toLowerCase();
		const type = mediaTypeOf(contentType);
		if (!entry || !type) {
			skipped.push(attachment.path);
			continue;
		}
		const limit = type === "image" ? MEDIA_LIMITS.imageSizeLimit : MEDIA_LIMITS.videoSizeLimit;
		if (entry.uncompressedSize > limit) {
			skipped.push(attachment.path);
			continue;
		}
		const id = newId();
		const fileKey = `media/${id}/original.${EXTENSIONS[contentType] ?? "bin"}`;
		await ctx.env.MEDIA.put(fileKey, entryStream(entry), {
			httpMetadata: { contentType, cacheControl: "public, max-age=31536000, immutable" },
		});
		out.push({ id, type, fileKey, contentType, size: entry.uncompressedSize, attachment });
	}
	return out;
}

async function writeImportedPost(
	ctx: ServiceContext,
	row: DataImport,
	account: Account,
	post: ArchivePost,
	parent: Status | null,
	media: RehostedMedia[],
	deps: ArchiveImportDeps,
): Promise<void> {
	const { db, config } = ctx;
	const at = post.published;
	const id = newId(at);
	let content: string;
	let spoilerText = "";
	let sensitive = false;
	let language: string | null = null;
	let inReplyToUri: string | null = null;
	let tags: string[] = [];
	if (post.kind === "boost") {
		content = boostContent(post.objectUri);
	} else {
		const { content: body, origin } = splitOriginFooter(await deps.sanitize(post.html), post.url);
		inReplyToUri = parent ? null : post.inReplyTo;
		content = `${body}${originFooter(origin, inReplyToUri)}`;
		spoilerText = post.summary;
		sensitive = post.sensitive || post.summary !== "";
		language = post.language;
		tags = post.tags;
	}
	const pollId = post.kind === "note" && post.poll ? newId(at) : null;
	const statements: Statement[] = [
		db.insert(statuses).values({
			id,
			...statusUris(config, account.username, id),
			accountId: account.id,
			local: true,
			inReplyToId: parent?.id ?? null,
			inReplyToAccountId: parent ? account.id : null,
			inReplyToUri,
			// The text as typed is not in an archive; editing starts from the words of the post.
			text: htmlToPlainText(content.replace(/<p>Originally published at .*<\/p>$/, "")),
			content,
			spoilerText,
			visibility: post.visibility,
			sensitive,
			language,
			conversationId: parent?.conversationId ?? newId(at),
			pollId,
			createdAt: at,
		}),
		db.insert(importedStatuses).values({
			accountId: account.id,
			sourceUri: post.sourceUri,
			statusId: id,
			importId: row.id,
			createdAt: new Date(),
		}),
		...mentionAndTagStatements(db, id, [], tags),
		...indexStatements(db, {
			id,
			content,
			spoilerText,
			pollOptions: post.kind === "note" ? post.poll?.options.map((o) => o.title) : undefined,
			mediaDescriptions: media.map((m) => m.attachment.description),
		}),
		sqlRun(
			db,
			sql`update accounts set statuses_count = statuses_count + 1,
			last_status_at = max(coalesce(last_status_at, 0), ${at.getTime()}) where id = ${account.id}`,
		),
	];
	if (parent) {
		statements.push(sqlRun(db, sql`update statuses set replies_count = replies_count + 1 where id = ${parent.id}`));
	}
	if (post.kind === "note" && post.poll && pollId) {
		const poll = post.poll;
		const votes = poll.options.reduce((sum, option) => sum + option.votes, 0);
		statements.push(
			sqlRun(
				db,
				sql`insert into polls (id, status_id, account_id, options, multiple, hide_totals, votes_count,
				voters_count, expires_at, created_at, updated_at)
				values (${pollId}, ${id}, ${account.id},
				${JSON.stringify(poll.options.map((option) => ({ title: option.title, votesCount: option.votes })))},
				${poll.multiple ? 1 : 0}, 0, ${votes}, ${poll.voters ?? (poll.multiple ? null : votes)},
				${poll.endsAt?.getTime() ?? at.getTime()}, ${at.getTime()}, ${Date.now()})`,
			),
		);
	}
	if (media.length > 0) {
		statements.push(
			db.insert(mediaAttachments).values(
				media.map((m) => ({
					id: m.id,
					accountId: account.id,
					statusId: id,
					type: m.type,
					fileKey: m.fileKey,
					contentType: m.contentType,
					fileSize: m.size,
					width: m.attachment.width,
					height: m.attachment.height,
					blurhash: m.attachment.blurhash,
					description: m.attachment.description,
					focusX: m.attachment.focus?.[0] ?? null,
					focusY: m.attachment.focus?.[1] ?? null,
					createdAt: at,
				})),
			),
		);
	}
	await db.batch(asBatch(statements));
}

/**
 * Imports that stopped (a lost message, a crash) are picked up again by the
 * cron; an archive upload the page never finished is given up after a day
 * (R2 drops the unfinished multipart upload itself after a week).
 */
export async function resumeStalledImports(db: Db, queue: Queue, now = new Date()): Promise<number> {
	await db
		.update(dataImports)
		.set({ state: "failed", error: "The upload was not finished", updatedAt: now, finishedAt: now })
		.where(
			sql`${dataImports.state} = 'uploading' and ${dataImports.updatedAt} < ${now.getTime() - 24 * 60 * 60 * 1000}`,
		);
	const stalled = await db
		.select({ id: dataImports.id })
		.from(dataImports)
		.where(
			sql`${dataImports.state} in ('queued', 'running') and ${dataImports.updatedAt} < ${now.getTime() - 60 * 60 * 1000}`,
		)
		.limit(20);
	for (const row of stalled) {
		await db.update(dataImports).set({ updatedAt: now }).where(eq(dataImports.id, row.id));
		await queue.send({ type: "import.step", importId: row.id } satisfies JobMessage);
	}
	return stalled.length;
}
