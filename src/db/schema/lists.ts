import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const LIST_REPLIES_POLICIES = ["followed", "list", "none"] as const;
export type ListRepliesPolicy = (typeof LIST_REPLIES_POLICIES)[number];

export const lists = sqliteTable(
	"lists",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		title: text("title").notNull(),
		repliesPolicy: text("replies_policy", { enum: LIST_REPLIES_POLICIES }).notNull().default("list"),
		/** Members' posts are kept out of the owner's home timeline. */
		exclusive: integer("exclusive", { mode: "boolean" }).notNull().default(false),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("lists_account").on(t.accountId, t.id)],
);

/** Members of a list: accounts the list's owner follows. */
export const listAccounts = sqliteTable(
	"list_accounts",
	{
		listId: text("list_id")
			.notNull()
			.references(() => lists.id, { onDelete: "cascade" }),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.listId, t.accountId] }), index("list_accounts_account").on(t.accountId)],
);

export type List = typeof lists.$inferSelect;
