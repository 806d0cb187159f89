import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { customEmojis } from "./custom-emojis";

/**
 * Instance-wide notices written by an admin (from the CLI). Clients show the
 * published ones whose window (starts_at..ends_at, either end open) holds now.
 */
export const announcements = sqliteTable(
	"announcements",
	{
		id: text("id").primaryKey(),
		/** Plain text as the admin wrote it; rendered to HTML like a local post. */
		text: text("text").notNull(),
		published: integer("published", { mode: "boolean" }).notNull().default(true),
		publishedAt: integer("published_at", { mode: "timestamp_ms" }),
		startsAt: integer("starts_at", { mode: "timestamp_ms" }),
		endsAt: integer("ends_at", { mode: "timestamp_ms" }),
		allDay: integer("all_day", { mode: "boolean" }).notNull().default(false),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("announcements_published_starts_at").on(t.published, t.startsAt)],
);

/** An announcement a user dismissed ("read" in the API). */
export const announcementReads = sqliteTable(
	"announcement_reads",
	{
		announcementId: text("announcement_id")
			.notNull()
			.references(() => announcements.id, { onDelete: "cascade" }),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.announcementId, t.accountId] })],
);

/** One user's emoji reaction: a unicode emoji, or a local custom emoji's shortcode. */
export const announcementReactions = sqliteTable(
	"announcement_reactions",
	{
		announcementId: text("announcement_id")
			.notNull()
			.references(() => announcements.id, { onDelete: "cascade" }),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		name: text("name").notNull(),
		customEmojiId: text("custom_emoji_id").references(() => customEmojis.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.announcementId, t.accountId, t.name] }),
		index("announcement_reactions_name").on(t.announcementId, t.name),
	],
);

export type Announcement = typeof announcements.$inferSelect;
