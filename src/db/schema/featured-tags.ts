import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { tags } from "./statuses";

/**
 * Hashtags a local account shows on its profile. The count and date of the
 * account's public and unlisted posts with the tag are kept up to date by the
 * posting, editing and deletion batches, so profiles read them without scanning posts.
 */
export const featuredTags = sqliteTable(
	"featured_tags",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		tagId: text("tag_id")
			.notNull()
			.references(() => tags.id, { onDelete: "cascade" }),
		/** The name as the owner typed it (shown instead of the tag's first-seen spelling). */
		name: text("name").notNull(),
		statusesCount: integer("statuses_count").notNull().default(0),
		lastStatusAt: integer("last_status_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("featured_tags_account_tag").on(t.accountId, t.tagId), index("featured_tags_tag").on(t.tagId)],
);

export type FeaturedTag = typeof featuredTags.$inferSelect;
