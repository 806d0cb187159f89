import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export interface PollOption {
	title: string;
	votesCount: number;
}

export const polls = sqliteTable("polls", {
	id: text("id").primaryKey(),
	statusId: text("status_id").notNull(),
	accountId: text("account_id")
		.notNull()
		.references(() => accounts.id, { onDelete: "cascade" }),
	options: text("options", { mode: "json" }).$type<PollOption[]>().notNull(),
	multiple: integer("multiple", { mode: "boolean" }).notNull().default(false),
	hideTotals: integer("hide_totals", { mode: "boolean" }).notNull().default(false),
	votesCount: integer("votes_count").notNull().default(0),
	/**
	 * Null when the poll's origin does not report voters (then it stays null,
	 * as in Mastodon's VoteService); local polls start at 0.
	 */
	votersCount: integer("voters_count"),
	expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const pollVotes = sqliteTable(
	"poll_votes",
	{
		id: text("id").primaryKey(),
		pollId: text("poll_id")
			.notNull()
			.references(() => polls.id, { onDelete: "cascade" }),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		choice: integer("choice").notNull(),
		uri: text("uri"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		uniqueIndex("poll_votes_unique").on(t.pollId, t.accountId, t.choice),
		index("poll_votes_account").on(t.accountId),
	],
);

export type Poll = typeof polls.$inferSelect;
