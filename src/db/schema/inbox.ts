import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Verified incoming activities, one row per activity id: the id is the
 * dedupe key (a redelivered activity has no second effect), and the row is
 * written before the sender gets its 202, so an activity is never lost when
 * the isolate processing it dies: whatever is not marked processed is found
 * by the sweep through the partial index. Rebuilt WITHOUT ROWID by a
 * hand-written migration: an insert writes the row and one index entry.
 */
export const inboxActivities = sqliteTable(
	"inbox_activities",
	{
		/** The activity's own id (`uri` in Mastodon's terms). */
		uri: text("uri").primaryKey(),
		/**
		 * The key before rows were keyed by `uri`. Kept, nullable, so the release
		 * before that change still finds the rows it queued by id while a deploy
		 * is under way (docs/migrations.md); nothing reads it now, and a later
		 * migration removes it.
		 */
		legacyId: text("id"),
		actorUri: text("actor_uri").notNull(),
		type: text("type").notNull(),
		body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
		/** The local account whose inbox got it; null for the shared inbox. */
		recipientAccountId: text("recipient_account_id"),
		/** Times it was handed to the inbox queue after processing it at once failed or never finished. */
		attempts: integer("attempts").notNull().default(0),
		processedAt: integer("processed_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		index("inbox_activities_pending").on(t.createdAt).where(sql`processed_at is null`),
		// Only the previous release's rows have an id: new rows skip the index, one row write less per activity.
		index("inbox_activities_id").on(t.legacyId).where(sql`id is not null`),
	],
);

export type InboxActivity = typeof inboxActivities.$inferSelect;
