import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/** A user's private note about another account, shown only to them in the Relationship. */
export const accountNotes = sqliteTable(
	"account_notes",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		targetAccountId: text("target_account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		comment: text("comment").notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.targetAccountId] })],
);
