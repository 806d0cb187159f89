import { and, asc, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
	type Account,
	accounts,
	bookmarks,
	type DataExport,
	dataExports,
	favourites,
	mediaAttachments,
	type Status,
	statuses,
} from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { endOfCentralDirectory, writeZipSegment, type ZipInput } from "./zip-segments";

/**
 * A member's archive in Mastodon's layout (outbox.json of Create and
 * Announce activities, likes.json, bookmarks.json, actor.json, avatar,
 * header and every attached file at the path its URL names), built by the
 * jobs queue one bounded step per message:
 * 1. the JSON of the posts, likes and bookmarks, a page per step, as
 *    fragments in R2;
 * 2. the zip, a few entries per step, each step writing one segment;
 * 3. the central directory and end record as the last segment.
 * The download streams the segments in order. One archive a day; each is
 * kept a week.
 */

export const EXPORT_INTERVAL_MS = 24 * 60 * 60 * 1000;
export const EXPORT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const POSTS_PER_STEP = 100;
const URIS_PER_STEP = 1000;
/** Media bytes stored per step: the CRC over them is the step's main CPU cost. */
export const MEDIA_BYTES_PER_STEP = 4 * 1024 * 1024;
const MEDIA_FILES_PER_STEP = 20;
const PLACEHOLDER = "!PLACEHOLDER!";

type Phase = "outbox" | "likes" | "bookmarks" | "zip-outbox" | "zip-media" | "zip-collections" | "zip-actor" | "finish";
type Fragmented = "outbox" | "likes" | "bookmarks";

interface ExportProgress {
	phase: Phase;
	cursor: string | null;
	fragments: Record<Fragmented, number>;
	counts: Record<Fragmented, number>;
	/** Bytes of the zip written so far, i.e. where the next segment starts. */
	offset: number;
	entries: number;
	directoryPieces: number;
	directorySize: number;
}

/** What the export needs from federation's serializers, handed in by the queue layer. */
export interface ArchiveFormat {
	outboxItems(account: Account, rows: Status[]): Promise<Record<string, unknown>[]>;
	actor(account: Account): Promise<{ document: Record<string, unknown>; images: { key: string; name: string }[] }>;
	collection(id: string, totalItems?: number): Record<string, unknown>;
}

export interface ExportContext {
	db: Db;
	env: Pick<Env, "MEDIA" | "JOBS_QUEUE">;
}

const prefix = (id: string) => `exports/${id}`;
const fragmentKey = (id: string, kind: Fragmented, n: number) => `${prefix(id)}/parts/${kind}-${n}.json`;
export const segmentKey = (id: string, n: number) => `${prefix(id)}/segments/${String(n).padStart(6, "0")}`;
const directoryKey = (id: string, n: number) => `${prefix(id)}/directory/${String(n).padStart(6, "0")}`;

function freshProgress(): ExportProgress {
	return {
		phase: "outbox",
		cursor: null,
		fragments: { outbox: 0, likes: 0, bookmarks: 0 },
		counts: { outbox: 0, likes: 0, bookmarks: 0 },
		offset: 0,
		entries: 0,
		directoryPieces: 0,
		directorySize: 0,
	};
}

export async function latestExport(db: Db, accountId: string): Promise<DataExport | undefined> {
	const [row] = await db
		.select()
		.from(dataExports)
		.where(eq(dataExports.accountId, accountId))
		.orderBy(desc(dataExports.id))
		.limit(1);
	return row;
}

/** Starts an archive, unless one was asked for in the last day (Mastodon's limit). */
export async function requestArchiveExport(
	ctx: ExportContext,
	account: Account,
	now = new Date(),
): Promise<DataExport> {
	const latest = await latestExport(ctx.db, account.id);
	if (latest && latest.state !== "failed" && now.getTime() - latest.createdAt.getTime() < EXPORT_INTERVAL_MS) {
		throw new ValidationError("export", "You can ask for an archive once a day; the last one is less than a day old");
	}
	const [row] = await ctx.db
		.insert(dataExports)
		.values({
			id: newId(now),
			accountId: account.id,
			state: "running",
			progress: freshProgress() as unknown as Record<string, unknown>,
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	const created = row as DataExport;
	await ctx.env.JOBS_QUEUE.send({ type: "export.step", exportId: created.id } satisfies JobMessage);
	return created;
}

/** Runs one step of an export and queues the next; a failed step is retried by the queue from the same place. */
export async function runExportStep(ctx: ExportContext, exportId: string, format: ArchiveFormat): Promise<void> {
	const { db } = ctx;
	const [row] = await db.select().from(dataExports).where(eq(dataExports.id, exportId)).limit(1);
	if (row?.state !== "running") return;
	const [account] = await db.select().from(accounts).where(eq(accounts.id, row.accountId)).limit(1);
	if (!account) return;
	const progress = row.progress as unknown as ExportProgress;
	const next = await step(ctx, row, account, progress, format);
	const done = next.phase === "finish" && progress.phase === "finish";
	const now = new Date();
	await db
		.update(dataExports)
		.set({
			progress: next as unknown as Record<string, unknown>,
			updatedAt: now,
			...(done
				? {
						state: "done" as const,
						size: next.offset,
						segments: next.directoryPieces + 1,
						finishedAt: now,
						expiresAt: new Date(now.getTime() + EXPORT_LIFETIME_MS),
					}
				: {}),
		})
		.where(eq(dataExports.id, exportId));
	if (!done) await ctx.env.JOBS_QUEUE.send({ type: "export.step", exportId } satisfies JobMessage);
}

async function step(
	ctx: ExportContext,
	row: DataExport,
	account: Account,
	progress: ExportProgress,
	format: ArchiveFormat,
): Promise<ExportProgress> {
	const { db, env } = ctx;
	switch (progress.phase) {
		case "outbox": {
			const rows = await db
				.select()
				.from(statuses)
				.where(
					and(
						eq(statuses.accountId, account.id),
						isNull(statuses.deletedAt),
						progress.cursor ? gt(statuses.id, progress.cursor) : undefined,
					),
				)
				.orderBy(asc(statuses.id))
				.limit(POSTS_PER_STEP);
			const items = await format.outboxItems(account, rows);
			return writeFragment(
				env.MEDIA,
				row.id,
				progress,
				"outbox",
				items,
				rows.at(-1)?.id,
				rows.length < POSTS_PER_STEP,
				"likes",
			);
		}
		case "likes":
		case "bookmarks": {
			const table = progress.phase === "likes" ? favourites : bookmarks;
			const rows = await db
				.select({ id: table.id, uri: statuses.uri })
				.from(table)
				.innerJoin(statuses, eq(statuses.id, table.statusId))
				.where(and(eq(table.accountId, account.id), progress.cursor ? gt(table.id, progress.cursor) : undefined))
				.orderBy(asc(table.id))
				.limit(URIS_PER_STEP);
			const last = rows.length < URIS_PER_STEP;
			return writeFragment(
				env.MEDIA,
				row.id,
				progress,
				progress.phase,
				rows.map((r) => r.uri),
				rows.at(-1)?.id,
				last,
				progress.phase === "likes" ? "bookmarks" : "zip-outbox",
			);
		}
		case "zip-outbox": {
			const skeleton = format.collection("outbox.json", progress.counts.outbox);
			return addSegment(env.MEDIA, row.id, { ...progress, phase: "zip-media", cursor: null }, [
				{ name: "outbox.json", data: collectionStream(env.MEDIA, row.id, "outbox", progress, skeleton) },
			]);
		}
		case "zip-media": {
			const files = await db
				.select({ id: mediaAttachments.id, key: mediaAttachments.fileKey, size: mediaAttachments.fileSize })
				.from(mediaAttachments)
				.where(
					and(
						eq(mediaAttachments.accountId, account.id),
						isNotNull(mediaAttachments.statusId),
						isNotNull(mediaAttachments.fileKey),
						progress.cursor ? gt(mediaAttachments.id, progress.cursor) : undefined,
					),
				)
				.orderBy(asc(mediaAttachments.id))
				.limit(MEDIA_FILES_PER_STEP);
			const chosen: typeof files = [];
			let bytes = 0;
			for (const file of files) {
				if (chosen.length > 0 && bytes + (file.size ?? 0) > MEDIA_BYTES_PER_STEP) break;
				chosen.push(file);
				bytes += file.size ?? 0;
			}
			if (chosen.length === 0) return { ...progress, phase: "zip-collections", cursor: null };
			const inputs: ZipInput[] = [];
			for (const file of chosen) {
				const object = await env.MEDIA.get(file.key as string);
				// A file lost from the bucket is left out, as Mastodon's backup skips what it cannot read.
				if (object) inputs.push({ name: file.key as string, data: object.body, store: true });
			}
			return addSegment(env.MEDIA, row.id, { ...progress, cursor: chosen.at(-1)?.id ?? null }, inputs);
		}
		case "zip-collections": {
			const likes = format.collection("likes.json");
			const marks = format.collection("bookmarks.json");
			return addSegment(env.MEDIA, row.id, { ...progress, phase: "zip-actor" }, [
				{ name: "likes.json", data: collectionStream(env.MEDIA, row.id, "likes", progress, likes) },
				{ name: "bookmarks.json", data: collectionStream(env.MEDIA, row.id, "bookmarks", progress, marks) },
			]);
		}
		case "zip-actor": {
			const actor = await format.actor(account);
			const inputs: ZipInput[] = [];
			for (const image of actor.images) {
				const object = await env.MEDIA.get(image.key);
				if (object) inputs.push({ name: image.name, data: object.body, store: true });
			}
			inputs.push({ name: "actor.json", data: JSON.stringify(actor.document) });
			return addSegment(env.MEDIA, row.id, { ...progress, phase: "finish" }, inputs);
		}
		case "finish": {
			const pieces: Uint8Array[] = [];
			for (let n = 0; n < progress.directoryPieces; n++) {
				const object = await env.MEDIA.get(directoryKey(row.id, n));
				if (!object) throw new Error(`Export ${row.id}: directory piece ${n} is missing`);
				pieces.push(new Uint8Array(await object.arrayBuffer()));
			}
			const end = endOfCentralDirectory(progress.entries, progress.directorySize, progress.offset);
			const tail = concat([...pieces, end]);
			await env.MEDIA.put(segmentKey(row.id, progress.directoryPieces), tail);
			await deleteTemporary(env.MEDIA, row.id, progress);
			return { ...progress, offset: progress.offset + tail.byteLength };
		}
	}
}

async function writeFragment(
	bucket: R2Bucket,
	exportId: string,
	progress: ExportProgress,
	kind: Fragmented,
	items: unknown[],
	lastId: string | undefined,
	last: boolean,
	nextPhase: Phase,
): Promise<ExportProgress> {
	const fragments = { ...progress.fragments };
	const counts = { ...progress.counts };
	if (items.length > 0) {
		await bucket.put(fragmentKey(exportId, kind, fragments[kind]), items.map((item) => JSON.stringify(item)).join(","));
		fragments[kind]++;
		counts[kind] += items.length;
	}
	return {
		...progress,
		fragments,
		counts,
		phase: last ? nextPhase : progress.phase,
		cursor: last ? null : (lastId ?? progress.cursor),
	};
}

/** A collection's JSON, streamed: the skeleton around its fragments joined by commas. */
function collectionStream(
	bucket: R2Bucket,
	exportId: string,
	kind: Fragmented,
	progress: ExportProgress,
	skeleton: Record<string, unknown>,
): ReadableStream<Uint8Array> {
	const [head, tail] = JSON.stringify({ ...skeleton, orderedItems: [PLACEHOLDER] }).split(JSON.stringify(PLACEHOLDER));
	const encoder = new TextEncoder();
	let n = -1;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (n === -1) {
				controller.enqueue(encoder.encode(head));
			} else if (n < progress.fragments[kind]) {
				const object = await bucket.get(fragmentKey(exportId, kind, n));
				if (!object) throw new Error(`Export ${exportId}: fragment ${kind}-${n} is missing`);
				controller.enqueue(encoder.encode((n > 0 ? "," : "") + (await object.text())));
			} else {
				controller.enqueue(encoder.encode(tail));
				controller.close();
			}
			n++;
		},
	});
}

async function addSegment(
	bucket: R2Bucket,
	exportId: string,
	progress: ExportProgress,
	inputs: ZipInput[],
): Promise<ExportProgress> {
	if (inputs.length === 0) return progress;
	const segment = await writeZipSegment(inputs, progress.offset);
	const n = progress.directoryPieces;
	await bucket.put(segmentKey(exportId, n), segment.bytes);
	await bucket.put(directoryKey(exportId, n), segment.directory);
	return {
		...progress,
		offset: progress.offset + segment.bytes.byteLength,
		entries: progress.entries + segment.entries,
		directoryPieces: n + 1,
		directorySize: progress.directorySize + segment.directory.byteLength,
	};
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.byteLength;
	}
	return out;
}

async function deleteTemporary(bucket: R2Bucket, exportId: string, progress: ExportProgress): Promise<void> {
	const keys: string[] = [];
	for (const kind of ["outbox", "likes", "bookmarks"] as const) {
		for (let n = 0; n < progress.fragments[kind]; n++) keys.push(fragmentKey(exportId, kind, n));
	}
	for (let n = 0; n < progress.directoryPieces; n++) keys.push(directoryKey(exportId, n));
	for (let start = 0; start < keys.length; start += 1000) await bucket.delete(keys.slice(start, start + 1000));
}

/** Exports whose step was lost (no progress for an hour) get their next step queued again. */
export async function resumeStalledExports(db: Db, queue: Queue, now = new Date()): Promise<number> {
	const stalled = await db
		.select({ id: dataExports.id })
		.from(dataExports)
		.where(sql`${dataExports.state} = 'running' and ${dataExports.updatedAt} < ${now.getTime() - 60 * 60 * 1000}`)
		.limit(20);
	for (const row of stalled) await queue.send({ type: "export.step", exportId: row.id } satisfies JobMessage);
	return stalled.length;
}
