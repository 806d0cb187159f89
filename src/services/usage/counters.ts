import { sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { usageDays } from "../../db/schema";
import { addUsage, emptyUsage, USAGE_FIELDS, type UsageCounts, type UsageField } from "./meter";

/**
 * How often an isolate writes what it counted. A busy isolate writes one row a
 * minute whatever its traffic; a quiet one writes when a request comes after a
 * minute without writing. An isolate that is evicted loses what it counted
 * since its last write (at most a minute's worth), so the counters can only
 * under-count, by little.
 */
export const FLUSH_INTERVAL_MS = 60_000;

/** Column of usage_days for each counted field. */
export const USAGE_COLUMNS: Record<
	UsageField,
	keyof typeof usageDays.$inferSelect & keyof typeof usageDays.$inferInsert
> = {
	requests: "requests",
	queue_invocations: "queueInvocations",
	cron_invocations: "cronInvocations",
	queue_writes: "queueWrites",
	queue_reads: "queueReads",
	queue_deletes: "queueDeletes",
	d1_queries: "d1Queries",
	d1_rows_read: "d1RowsRead",
	d1_rows_written: "d1RowsWritten",
	r2_class_a: "r2ClassA",
	r2_class_b: "r2ClassB",
	r2_bytes_written: "r2BytesWritten",
	images_transformations: "imagesTransformations",
	do_requests: "doRequests",
};

/** The UTC day a timestamp falls in, as usage_days keys it. */
export function utcDay(now: number): string {
	return new Date(now).toISOString().slice(0, 10);
}

interface Pending {
	day: string;
	counts: UsageCounts;
	lastFlush: number;
}

/** What this isolate counted and has not written yet, per D1 binding (tests run several instances in one isolate). */
const pendingByDb = new WeakMap<D1Database, Pending>();

/**
 * One upsert adding `counts` to the day's row. The write itself is one query
 * and one written row, added to what it writes so the counters count
 * themselves too.
 */
export async function writeUsage(d1: D1Database, day: string, counts: UsageCounts, now: number): Promise<void> {
	const withSelf = addUsage({ ...counts }, { d1_queries: 1, d1_rows_written: 1 });
	const values: Record<string, unknown> = { day, updatedAt: new Date(now) };
	const set: Record<string, unknown> = { updatedAt: new Date(now) };
	for (const field of USAGE_FIELDS) {
		const column = USAGE_COLUMNS[field];
		values[column] = withSelf[field];
		set[column] = sql`${usageDays[column]} + excluded.${sql.identifier(field)}`;
	}
	await createDb(d1)
		.insert(usageDays)
		.values(values as typeof usageDays.$inferInsert)
		.onConflictDoUpdate({ target: usageDays.day, set });
}

/**
 * Adds one invocation's counts to this isolate's pending totals and, when a
 * minute has passed since the last write (or the UTC day changed), writes them
 * after the response through `waitUntil`. A failed write puts the counts back.
 */
export function recordUsage(
	d1: D1Database,
	counts: UsageCounts,
	exec: Pick<ExecutionContext, "waitUntil">,
	now = Date.now(),
) {
	const day = utcDay(now);
	let pending = pendingByDb.get(d1);
	if (!pending) {
		// A fresh isolate writes after its first minute, not at its first request.
		pending = { day, counts: emptyUsage(), lastFlush: now };
		pendingByDb.set(d1, pending);
	}
	if (pending.day !== day) {
		flush(d1, pending, exec, now);
		pending.day = day;
	}
	addUsage(pending.counts, counts);
	if (now - pending.lastFlush >= FLUSH_INTERVAL_MS) flush(d1, pending, exec, now);
}

/**
 * Adds `counts` and writes everything pending at once. For a Durable Object,
 * which may leave memory seconds after an entry point and take a minute's
 * pending counts with it. Counting nothing writes nothing, so entry points
 * that did not touch D1 (a delivered event) stay free.
 */
export function recordUsageNow(
	d1: D1Database,
	counts: UsageCounts,
	exec: Pick<ExecutionContext, "waitUntil">,
	now = Date.now(),
) {
	recordUsage(d1, counts, exec, now);
	const pending = pendingByDb.get(d1);
	if (pending && USAGE_FIELDS.some((field) => counts[field] > 0)) flush(d1, pending, exec, now);
}

function flush(d1: D1Database, pending: Pending, exec: Pick<ExecutionContext, "waitUntil">, now: number): void {
	const { day, counts } = pending;
	pending.counts = emptyUsage();
	pending.lastFlush = now;
	if (USAGE_FIELDS.every((field) => counts[field] === 0)) return;
	exec.waitUntil(
		writeUsage(d1, day, counts, now).catch((error) => {
			const current = pendingByDb.get(d1);
			if (current?.day === day) addUsage(current.counts, counts);
			console.warn("Usage counters not written, kept for the next write:", String(error));
		}),
	);
}

/** Writes whatever this isolate holds for `d1` now (tests; an admin asking for today's exact figures). */
export async function flushUsageNow(d1: D1Database, now = Date.now()): Promise<void> {
	const pending = pendingByDb.get(d1);
	if (!pending) return;
	const { day, counts } = pending;
	pending.counts = emptyUsage();
	pending.lastFlush = now;
	if (USAGE_FIELDS.every((field) => counts[field] === 0)) return;
	await writeUsage(d1, day, counts, now);
}
