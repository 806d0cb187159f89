import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Verified incoming activities, one row per activity id: the id is the
 * dedupe key (a redelivered activity has no second effect) and the body waits
 * here for the inbox queue, whose messages carry only the row id.
 */
export const inboxActivities = sqliteTable(
	"inbox_activities",
	{
		id: text("id").primaryKey(),
		/** The activity's own id (`uri` in Mastodon's terms). */
		uri: text("uri").notNull().unique(),
		actorUri: text("actor_uri").notNull(),
		type: text("type").notNull(),
		body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
		/** The local account whose inbox got it; null for the shared inbox. */
		recipientAccountId: text("recipient_account_id"),
		processedAt: integer("processed_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("inbox_activities_created_at").on(t.createdAt)],
);

export type InboxActivity = typeof inboxActivities.$inferSelect;
