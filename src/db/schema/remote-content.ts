import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { statuses } from "./statuses";

/**
 * Custom emoji of other servers, by shortcode and host, as seen on their posts,
 * profiles and reactions. Serializers resolve `:shortcode:` of a remote account
 * against the rows of its host.
 */
export const remoteEmojis = sqliteTable(
	"remote_emojis",
	{
		id: text("id").primaryKey(),
		shortcode: text("shortcode").notNull(),
		domain: text("domain").notNull(),
		url: text("url").notNull(),
		uri: text("uri"),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("remote_emojis_shortcode_domain").on(t.shortcode, t.domain)],
);

/**
 * Emoji reactions (Misskey/Pleroma EmojiReact, Like with `_misskey_reaction`).
 * Each also counts as a favourite; this keeps which emoji it was.
 */
export const statusReactions = sqliteTable(
	"status_reactions",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		/** A Unicode emoji, or a custom emoji's shortcode without colons. */
		name: text("name").notNull(),
		/** Image of a custom emoji; null for Unicode emoji. */
		emojiUrl: text("emoji_url"),
		uri: text("uri"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		uniqueIndex("status_reactions_unique").on(t.accountId, t.statusId, t.name),
		index("status_reactions_status").on(t.statusId),
		index("status_reactions_uri").on(t.uri),
	],
);
