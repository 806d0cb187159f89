import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * What the instance spent of each thing Cloudflare bills, one row per UTC day
 * (the Free plan's quotas reset at 00:00 UTC). Each isolate adds what it
 * counted at most once a minute (src/services/usage/counters.ts), so counting
 * costs one written row a minute per isolate, not one per request.
 */
export const usageDays = sqliteTable("usage_days", {
	day: text("day").primaryKey(),
	requests: integer("requests").notNull().default(0),
	queueInvocations: integer("queue_invocations").notNull().default(0),
	cronInvocations: integer("cron_invocations").notNull().default(0),
	queueWrites: integer("queue_writes").notNull().default(0),
	queueReads: integer("queue_reads").notNull().default(0),
	queueDeletes: integer("queue_deletes").notNull().default(0),
	d1Queries: integer("d1_queries").notNull().default(0),
	d1RowsRead: integer("d1_rows_read").notNull().default(0),
	d1RowsWritten: integer("d1_rows_written").notNull().default(0),
	r2ClassA: integer("r2_class_a").notNull().default(0),
	r2ClassB: integer("r2_class_b").notNull().default(0),
	r2BytesWritten: integer("r2_bytes_written").notNull().default(0),
	imagesTransformations: integer("images_transformations").notNull().default(0),
	doRequests: integer("do_requests").notNull().default(0),
	updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export type UsageDay = typeof usageDays.$inferSelect;
