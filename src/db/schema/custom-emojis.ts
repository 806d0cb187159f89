import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Local custom emojis, added by an admin; the image lives in R2 under `fileKey`. */
export const customEmojis = sqliteTable(
	"custom_emojis",
	{
		id: text("id").primaryKey(),
		shortcode: text("shortcode").notNull(),
		fileKey: text("file_key").notNull(),
		contentType: text("content_type").notNull(),
		category: text("category"),
		visibleInPicker: integer("visible_in_picker", { mode: "boolean" }).notNull().default(true),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("custom_emojis_shortcode").on(t.shortcode)],
);

export type CustomEmoji = typeof customEmojis.$inferSelect;
