import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const VISIBILITIES = ["public", "unlisted", "private", "direct"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * Local and remote posts. A boost is a status with `reblogOfId` set and no
 * content of its own, as in Mastodon, so timelines page over one table.
 */
export const statuses = sqliteTable(
	"statuses",
	{
		id: text("id").primaryKey(),
		uri: text("uri").notNull(),
		url: text("url"),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		/** True for posts written on this instance. */
		local: integer("local", { mode: "boolean" }).notNull(),
		inReplyToId: text("in_reply_to_id"),
		inReplyToAccountId: text("in_reply_to_account_id"),
		/** Remote replies whose parent is not known here yet keep the parent's URI. */
		inReplyToUri: text("in_reply_to_uri"),
		reblogOfId: text("reblog_of_id"),
		/** Local posts: the text as typed. Remote posts: null. */
		text: text("text"),
		/** Sanitized HTML served to clients. */
		content: text("content").notNull().default(""),
		spoilerText: text("spoiler_text").notNull().default(""),
		visibility: text("visibility", { enum: VISIBILITIES }).notNull(),
		sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
		language: text("language"),
		conversationId: text("conversation_id"),
		applicationId: text("application_id"),
		pollId: text("poll_id"),
		repliesCount: integer("replies_count").notNull().default(0),
		reblogsCount: integer("reblogs_count").notNull().default(0),
		favouritesCount: integer("favourites_count").notNull().default(0),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		editedAt: integer("edited_at", { mode: "timestamp_ms" }),
		deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
	},
	// Every index entry is a row written with each status (D1 counts them), and
	// most posts are neither replies nor boosts: those indexes are partial, so a
	// plain post writes the row, its primary key, uri, author and visibility
	// entries and nothing else. Lookups by these columns (`= ?`, `in (…)`) imply
	// `is not null`, so SQLite still uses them.
	(t) => [
		uniqueIndex("statuses_uri").on(t.uri),
		index("statuses_account_id_id").on(t.accountId, t.id),
		index("statuses_in_reply_to_id").on(t.inReplyToId).where(sql`in_reply_to_id is not null`),
		index("statuses_reblog_of_id").on(t.reblogOfId).where(sql`reblog_of_id is not null`),
		// "Has the viewer boosted these?" for every page of statuses: without it the
		// lookup walks all of the viewer's own posts.
		index("statuses_account_id_reblog_of_id").on(t.accountId, t.reblogOfId).where(sql`reblog_of_id is not null`),
		index("statuses_visibility_id").on(t.visibility, t.id),
	],
);

/** Earlier revisions of an edited status, for `/api/v1/statuses/:id/history`. */
export const statusEdits = sqliteTable(
	"status_edits",
	{
		id: text("id").primaryKey(),
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		accountId: text("account_id").notNull(),
		content: text("content").notNull(),
		spoilerText: text("spoiler_text").notNull().default(""),
		sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
		mediaAttachmentIds: text("media_attachment_ids", { mode: "json" }).$type<string[]>(),
		pollOptions: text("poll_options", { mode: "json" }).$type<string[]>(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("status_edits_status_id").on(t.statusId, t.id)],
);

export const mentions = sqliteTable(
	"mentions",
	{
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		/** Addressed without a visible @mention (e.g. inherited in a reply chain). */
		silent: integer("silent", { mode: "boolean" }).notNull().default(false),
	},
	(t) => [primaryKey({ columns: [t.statusId, t.accountId] }), index("mentions_account_id").on(t.accountId, t.statusId)],
);

export const tags = sqliteTable(
	"tags",
	{
		id: text("id").primaryKey(),
		/** Lowercased, NFKC-normalized name: the identity of the tag. */
		name: text("name").notNull(),
		displayName: text("display_name").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("tags_name").on(t.name)],
);

export const statusTags = sqliteTable(
	"status_tags",
	{
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		tagId: text("tag_id")
			.notNull()
			.references(() => tags.id, { onDelete: "cascade" }),
	},
	(t) => [primaryKey({ columns: [t.statusId, t.tagId] }), index("status_tags_tag_id").on(t.tagId, t.statusId)],
);

export const statusPins = sqliteTable(
	"status_pins",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.statusId] })],
);

export type Status = typeof statuses.$inferSelect;
export type NewStatus = typeof statuses.$inferInsert;
