import { desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Backup, backups, instanceSettings } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import {
	type ChunkCursor,
	chainChecksum,
	describeTables,
	gzip,
	inDependencyOrder,
	listTables,
	ROWS_PER_CHUNK,
	readChunk,
	sha256Hex,
	TABLES_PER_LISTING,
	type TableInfo,
} from "./backup-tables";

/**
 * The admin's backups: every table written to R2 as gzip chunks of NDJSON
 * (`backups/<id>/<table>/<n>.ndjson.gz`) with a manifest of the schema, row
 * counts and checksums (`backups/<id>/manifest.json`), one chunk per queue
 * message so each step stays within the CPU and query budget. Started by the
 * cron when one is due (weekly unless the admin says otherwise); the oldest
 * are deleted beyond the number kept. A backup reads each table at its own
 * moment: it is not a snapshot of the whole database at one instant (D1
 * Time Travel is, see docs/backups.md).
 */

export const BACKUP_SETTINGS = { interval: "backup.interval_hours", keep: "backup.keep" } as const;
export const DEFAULT_INTERVAL_HOURS = 168;
export const DEFAULT_KEEP = 4;
export const MANIFEST_VERSION = 1;

export interface ManifestTable extends TableInfo {
	rows: number;
	chunks: number;
	checksum: string;
}

export interface BackupManifest {
	version: number;
	id: string;
	startedAt: string;
	finishedAt: string;
	rowsPerChunk: number;
	tables: ManifestTable[];
	/** Indexes, triggers and views, created after the rows are in. */
	extras: string[];
	size: number;
}

interface BackupProgress {
	/** Tables whose columns are known; the first steps look them up, then the rows are read. */
	described: number;
	index: number;
	cursor: ChunkCursor;
	tables: ManifestTable[];
	extras: string[];
	size: number;
}

export const backupPrefix = (id: string) => `backups/${id}/`;
export const manifestKey = (id: string) => `${backupPrefix(id)}manifest.json`;
export const chunkKey = (id: string, table: string, n: number) =>
	`${backupPrefix(id)}${encodeURIComponent(table)}/${String(n).padStart(6, "0")}.ndjson.gz`;

export interface BackupContext {
	db: Db;
	env: Pick<Env, "DB" | "MEDIA" | "JOBS_QUEUE">;
}

export interface BackupSchedule {
	intervalHours: number;
	keep: number;
}

export async function readBackupSchedule(db: Db): Promise<BackupSchedule> {
	const rows = await db
		.select()
		.from(instanceSettings)
		.where(inArray(instanceSettings.key, Object.values(BACKUP_SETTINGS)));
	const value = (key: string, fallback: number) => {
		const number = Number(rows.find((row) => row.key === key)?.value);
		return Number.isInteger(number) && number > 0 ? number : fallback;
	};
	return {
		intervalHours: value(BACKUP_SETTINGS.interval, DEFAULT_INTERVAL_HOURS),
		keep: value(BACKUP_SETTINGS.keep, DEFAULT_KEEP),
	};
}

export async function writeBackupSchedule(db: Db, schedule: Partial<BackupSchedule>): Promise<BackupSchedule> {
	const now = new Date();
	const writes = [];
	for (const [field, key] of [
		["intervalHours", BACKUP_SETTINGS.interval],
		["keep", BACKUP_SETTINGS.keep],
	] as const) {
		const value = schedule[field];
		if (value === undefined) continue;
		if (!Number.isInteger(value) || value < 1)
			throw new ValidationError(field, `${field} must be a whole number above 0`);
		writes.push(
			db
				.insert(instanceSettings)
				.values({ key, value: String(value), updatedAt: now })
				.onConflictDoUpdate({ target: instanceSettings.key, set: { value: String(value), updatedAt: now } }),
		);
	}
	const [first, ...rest] = writes;
	if (first) await db.batch([first, ...rest]);
	return readBackupSchedule(db);
}

export async function listBackups(db: Db, limit = 50): Promise<Backup[]> {
	return db.select().from(backups).orderBy(desc(backups.id)).limit(limit);
}

/** What the admin console shows: the last finished backup, its size and when; and whether one is running. */
export async function lastBackupSummary(db: Db) {
	const rows = await db.select().from(backups).orderBy(desc(backups.id)).limit(10);
	const last = rows.find((row) => row.state === "done");
	const running = rows.find((row) => row.state === "running");
	return {
		last: last
			? {
					id: last.id,
					finishedAt: last.finishedAt?.toISOString() ?? null,
					size: last.size,
					tables: last.tables,
					rows: last.rows,
				}
			: null,
		running: running ? { id: running.id, startedAt: running.startedAt.toISOString() } : null,
		failed: rows[0]?.state === "failed" ? { id: rows[0].id, error: rows[0].error } : null,
	};
}

/** Starts a backup now; refused while another is running. */
export async function startBackup(ctx: BackupContext, now = new Date()): Promise<Backup> {
	const running = await ctx.db.select({ id: backups.id }).from(backups).where(eq(backups.state, "running")).limit(1);
	if (running.length > 0) throw new ValidationError("backup", `Backup ${running[0]?.id} is still running`);
	const { tables, extras } = await listTables(ctx.env.DB);
	const progress: BackupProgress = {
		described: 0,
		index: 0,
		cursor: null,
		tables: tables.map((table) => ({ ...table, rows: 0, chunks: 0, checksum: "" })),
		extras,
		size: 0,
	};
	const [row] = await ctx.db
		.insert(backups)
		.values({
			id: newId(now),
			state: "running",
			progress: progress as unknown as Record<string, unknown>,
			tables: tables.length,
			startedAt: now,
			updatedAt: now,
		})
		.returning();
	return row as Backup;
}

/** The cron's part: a backup is started when the last one is older than the interval. */
export async function startDueBackup(ctx: BackupContext, now = new Date()): Promise<Backup | null> {
	const [schedule, [latest]] = await Promise.all([
		readBackupSchedule(ctx.db),
		ctx.db.select().from(backups).orderBy(desc(backups.id)).limit(1),
	]);
	if (latest?.state === "running") {
		// A step lost for an hour is queued again.
		if (now.getTime() - latest.updatedAt.getTime() > 60 * 60 * 1000) {
			await ctx.env.JOBS_QUEUE.send({ type: "backup.step", backupId: latest.id } satisfies JobMessage);
		}
		return null;
	}
	if (latest && now.getTime() - latest.startedAt.getTime() < schedule.intervalHours * 60 * 60 * 1000) return null;
	const backup = await startBackup(ctx, now);
	await ctx.env.JOBS_QUEUE.send({ type: "backup.step", backupId: backup.id } satisfies JobMessage);
	return backup;
}

/**
 * One chunk of one table to R2 (or, when all are done, the manifest and the
 * pruning of old backups). Returns true while there is more to do.
 */
export async function backupStep(ctx: BackupContext, backupId: string): Promise<boolean> {
	const { db, env } = ctx;
	const [row] = await db.select().from(backups).where(eq(backups.id, backupId)).limit(1);
	if (row?.state !== "running") return false;
	const progress = row.progress as unknown as BackupProgress;
	const now = new Date();
	if (progress.described < progress.tables.length) {
		const next = progress.tables.slice(progress.described, progress.described + TABLES_PER_LISTING);
		await describeTables(env.DB, next);
		progress.described += next.length;
		if (progress.described >= progress.tables.length) {
			progress.tables = inDependencyOrder(progress.tables) as ManifestTable[];
		}
		await db
			.update(backups)
			.set({ progress: progress as unknown as Record<string, unknown>, updatedAt: now })
			.where(eq(backups.id, backupId));
		return true;
	}
	const table = progress.tables[progress.index];
	if (!table) {
		await finishBackup(ctx, row, progress, now);
		return false;
	}
	const chunk = await readChunk(env.DB, table, progress.cursor);
	if (chunk.lines.length > 0) {
		const text = `${chunk.lines.join("\n")}\n`;
		const compressed = await gzip(text);
		await env.MEDIA.put(chunkKey(backupId, table.name, table.chunks), compressed);
		table.checksum = await chainChecksum(table.checksum || null, text);
		table.rows += chunk.lines.length;
		table.chunks++;
		progress.size += compressed.byteLength;
	}
	if (chunk.lines.length < ROWS_PER_CHUNK) {
		if (table.chunks === 0) table.checksum = await sha256Hex("");
		progress.index++;
		progress.cursor = null;
	} else {
		progress.cursor = chunk.last;
	}
	await db
		.update(backups)
		.set({ progress: progress as unknown as Record<string, unknown>, size: progress.size, updatedAt: now })
		.where(eq(backups.id, backupId));
	return true;
}

/** The jobs queue's `backup.step`. */
export async function runBackupStep(ctx: BackupContext, backupId: string): Promise<void> {
	if (await backupStep(ctx, backupId)) {
		await ctx.env.JOBS_QUEUE.send({ type: "backup.step", backupId } satisfies JobMessage);
	}
}

async function finishBackup(ctx: BackupContext, row: Backup, progress: BackupProgress, now: Date) {
	const manifest: BackupManifest = {
		version: MANIFEST_VERSION,
		id: row.id,
		startedAt: row.startedAt.toISOString(),
		finishedAt: now.toISOString(),
		rowsPerChunk: ROWS_PER_CHUNK,
		tables: progress.tables,
		extras: progress.extras,
		size: progress.size,
	};
	const text = JSON.stringify(manifest);
	await ctx.env.MEDIA.put(manifestKey(row.id), text, { httpMetadata: { contentType: "application/json" } });
	await ctx.db
		.update(backups)
		.set({
			state: "done",
			size: progress.size + text.length,
			rows: progress.tables.reduce((sum, table) => sum + table.rows, 0),
			finishedAt: now,
			updatedAt: now,
		})
		.where(eq(backups.id, row.id));
	await pruneBackups(ctx);
}

/** Keeps the newest `keep` finished backups; older ones leave R2 and the list. */
export async function pruneBackups(ctx: BackupContext): Promise<string[]> {
	const { keep } = await readBackupSchedule(ctx.db);
	const done = await ctx.db
		.select({ id: backups.id })
		.from(backups)
		.where(eq(backups.state, "done"))
		.orderBy(desc(backups.id));
	const old = done.slice(keep).map((row) => row.id);
	for (const id of old) {
		await deleteBackupObjects(ctx.env.MEDIA, id);
		await ctx.db.delete(backups).where(eq(backups.id, id));
	}
	// Failed attempts leave their chunks behind only until the next successful prune.
	const failed = await ctx.db.select({ id: backups.id }).from(backups).where(sql`${backups.state} = 'failed'`);
	for (const { id } of failed) await deleteBackupObjects(ctx.env.MEDIA, id);
	return old;
}

async function deleteBackupObjects(bucket: R2Bucket, id: string) {
	let cursor: string | undefined;
	do {
		const page = await bucket.list({ prefix: backupPrefix(id), cursor, limit: 1000 });
		if (page.objects.length > 0) await bucket.delete(page.objects.map((object) => object.key));
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
}

export async function readManifest(bucket: R2Bucket, id: string): Promise<BackupManifest | null> {
	const object = await bucket.get(manifestKey(id));
	return object ? ((await object.json()) as BackupManifest) : null;
}

/** Backups known by their manifests in R2 (what survives when the database does not). */
export async function manifestsInBucket(bucket: R2Bucket): Promise<BackupManifest[]> {
	const found: BackupManifest[] = [];
	let cursor: string | undefined;
	do {
		const page = await bucket.list({ prefix: "backups/", delimiter: "/", cursor });
		for (const prefix of page.delimitedPrefixes) {
			const id = prefix.slice("backups/".length, -1);
			const manifest = await readManifest(bucket, id);
			if (manifest) found.push(manifest);
		}
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
	return found.sort((a, b) => b.id.localeCompare(a.id));
}
