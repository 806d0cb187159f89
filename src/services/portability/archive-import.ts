import { JSONParser } from "@streamparser/json";
import { and, asc, eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { Db } from "../../db/client";
import {
	type Account,
	accounts,
	type DataImport,
	dataImportRows,
	dataImports,
	importedStatuses,
	type Status,
	statuses,
} from "../../db/schema";
import type { JobMessage } from "../../queues/messages";
import { readArchiveItem } from "./archive-items";
import { type ArchiveImportDeps, rehostMedia, writeImportedPost } from "./archive-post";
import { ArchiveError, entryText, type OpenArchive, openArchive } from "./zip-archive";

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

const ITEMS_PER_CHUNK = 50;
const ITEMS_PER_STEP = 10;
const DEFERRED_PER_STEP = 10;

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

const chunkKey = (importId: string, n: number) => `imports/${importId}/items/${String(n).padStart(6, "0")}.json`;

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
