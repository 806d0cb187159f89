import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Activities built for delivery, stored once so that each of the many
 * per-inbox queue messages carries only this row's id.
 */
export const outboxActivities = sqliteTable("outbox_activities", {
	id: text("id").primaryKey(),
	uri: text("uri").notNull(),
	/** The local account that signs the deliveries. */
	accountId: text("account_id").notNull(),
	type: text("type").notNull(),
	body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Delivery health per remote host. A host failing for days is marked
 * unavailable and skipped until it is heard from again (an incoming activity
 * or a successful delivery clears it).
 */
export const domainDeliveryStatus = sqliteTable("domain_delivery_status", {
	domain: text("domain").primaryKey(),
	/** When the current run of failures began; null while the host answers. */
	failingSince: integer("failing_since", { mode: "timestamp_ms" }),
	failureCount: integer("failure_count").notNull().default(0),
	unavailableSince: integer("unavailable_since", { mode: "timestamp_ms" }),
	/** What the latest failed attempt met (a status, a timeout…), for the admin dashboard. */
	lastError: text("last_error"),
	updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export type OutboxActivity = typeof outboxActivities.$inferSelect;
