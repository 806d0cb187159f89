import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const MARKER_TIMELINES = ["home", "notifications"] as const;
export type MarkerTimeline = (typeof MARKER_TIMELINES)[number];

/** Where a user stopped reading a timeline, shared between their apps (`/api/v1/markers`). */
export const markers = sqliteTable(
	"markers",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		timeline: text("timeline", { enum: MARKER_TIMELINES }).notNull(),
		lastReadId: text("last_read_id").notNull(),
		/** Bumped on every save so apps can tell a marker changed under them. */
		version: integer("version").notNull().default(0),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.timeline] })],
);

export type Marker = typeof markers.$inferSelect;
