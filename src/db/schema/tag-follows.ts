import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { tags } from "./statuses";

/** Hashtags a user follows: public posts carrying them enter the user's home feed. */
export const tagFollows = sqliteTable(
	"tag_follows",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		tagId: text("tag_id")
			.notNull()
			.references(() => tags.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("tag_follows_pair").on(t.accountId, t.tagId), index("tag_follows_tag").on(t.tagId)],
);

export type TagFollow = typeof tagFollows.$inferSelect;
