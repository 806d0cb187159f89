import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/**
 * `Idempotency-Key` of POST /api/v1/statuses: a client retrying a post within
 * an hour gets the status it already made instead of a duplicate.
 */
export const statusIdempotencyKeys = sqliteTable(
	"status_idempotency_keys",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		key: text("key").notNull(),
		statusId: text("status_id").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.key] })],
);

/** Conversations (threads) whose notifications an account muted via /api/v1/statuses/:id/mute. */
export const conversationMutes = sqliteTable(
	"conversation_mutes",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		conversationId: text("conversation_id").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.conversationId] })],
);

export const FILTER_CONTEXTS = ["home", "notifications", "public", "thread", "account"] as const;
export type FilterContext = (typeof FILTER_CONTEXTS)[number];
export const FILTER_ACTIONS = ["warn", "hide", "blur"] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];

/** Content filters (v2 shape; v1 filters are one keyword each, as in Mastodon). */
export const filters = sqliteTable(
	"filters",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		title: text("title").notNull(),
		context: text("context", { mode: "json" }).$type<FilterContext[]>().notNull(),
		action: text("action", { enum: FILTER_ACTIONS }).notNull().default("warn"),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("filters_account").on(t.accountId, t.id)],
);

export const filterKeywords = sqliteTable(
	"filter_keywords",
	{
		id: text("id").primaryKey(),
		filterId: text("filter_id")
			.notNull()
			.references(() => filters.id, { onDelete: "cascade" }),
		keyword: text("keyword").notNull(),
		wholeWord: integer("whole_word", { mode: "boolean" }).notNull().default(true),
	},
	(t) => [index("filter_keywords_filter").on(t.filterId)],
);

export const filterStatuses = sqliteTable(
	"filter_statuses",
	{
		id: text("id").primaryKey(),
		filterId: text("filter_id")
			.notNull()
			.references(() => filters.id, { onDelete: "cascade" }),
		statusId: text("status_id").notNull(),
	},
	(t) => [index("filter_statuses_filter").on(t.filterId)],
);

export type Filter = typeof filters.$inferSelect;
export type FilterKeyword = typeof filterKeywords.$inferSelect;
export type FilterStatus = typeof filterStatuses.$inferSelect;

/**
 * Direct-message threads as each local participant sees them
 * (/api/v1/conversations): who else is in it, the latest post, unread state.
 */
export const accountConversations = sqliteTable(
	"account_conversations",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		conversationId: text("conversation_id").notNull(),
		/** The other participants. */
		participantIds: text("participant_ids", { mode: "json" }).$type<string[]>().notNull(),
		lastStatusId: text("last_status_id").notNull(),
		unread: integer("unread", { mode: "boolean" }).notNull().default(false),
	},
	(t) => [
		uniqueIndex("account_conversations_pair").on(t.accountId, t.conversationId),
		index("account_conversations_last").on(t.accountId, t.lastStatusId),
	],
);

export type AccountConversation = typeof accountConversations.$inferSelect;
