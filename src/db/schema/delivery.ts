import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The transactional outbox: what a local action means for other servers,
 * written in the same `db.batch()` as the action itself (see
 * federation/outbox/events.ts). A row lives only until its activities are
 * planned and stored in `outbox_activities`, so the table holds just the
 * events still owed. Rebuilt WITHOUT ROWID by a hand-written migration
 * (one row written per insert or delete, no separate primary-key index).
 */
export const outboxEvents = sqliteTable("outbox_events", {
	id: text("id").primaryKey(),
	event: text("event", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
	/** Failed planning attempts; the sweep gives up on an event after a few. */
	attempts: integer("attempts").notNull().default(0),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** One inbox still owed an activity, with its retry state. */
export interface PendingInbox {
	/** The inbox URL. */
	inbox: string;
	/** Failed attempts so far. */
	attempts: number;
	/** Not before this time (ms since the epoch); absent when due now. */
	retryAt?: number;
}

/**
 * An activity on its way out, and the inboxes still owed it (up to
 * INBOXES_PER_DELIVERY of them; a larger audience is several rows). One queue
 * message per row carries only its id; the per-inbox retry state lives here,
 * and the row goes once every inbox got the activity or was given up.
 * Rebuilt WITHOUT ROWID by a hand-written migration.
 */
export const outboxActivities = sqliteTable("outbox_activities", {
	id: text("id").primaryKey(),
	uri: text("uri").notNull(),
	/** The local account that signs the deliveries. */
	accountId: text("account_id").notNull(),
	type: text("type").notNull(),
	body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
	inboxes: text("inboxes", { mode: "json" }).$type<PendingInbox[]>().notNull().default([]),
	/** When the earliest pending inbox is due (ms); null once nothing is pending. */
	nextAt: integer("next_at"),
	/** Bumped by every save, so two runners of the same row never overwrite each other's progress. */
	version: integer("version").notNull().default(0),
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
export type OutboxEventRow = typeof outboxEvents.$inferSelect;
