import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export interface ProfileField {
	name: string;
	value: string;
	verifiedAt: string | null;
}

/**
 * Local and remote accounts in one table, as Mastodon keeps them: `domain` is
 * null for local accounts. Remote-only columns stay null for local ones.
 */
export const accounts = sqliteTable(
	"accounts",
	{
		id: text("id").primaryKey(),
		username: text("username").notNull(),
		domain: text("domain"),
		/** `username@domain` lowercased (`username@` for local): the case-insensitive identity. */
		acctKey: text("acct_key").generatedAlwaysAs(sql`lower(username) || '@' || ifnull(lower(domain), '')`, {
			mode: "virtual",
		}),
		displayName: text("display_name").notNull().default(""),
		/** Local accounts: the plain-text bio as typed; `noteHtml` is what is served. */
		note: text("note").notNull().default(""),
		noteHtml: text("note_html").notNull().default(""),
		avatarUrl: text("avatar_url"),
		avatarDescription: text("avatar_description").notNull().default(""),
		headerUrl: text("header_url"),
		headerDescription: text("header_description").notNull().default(""),
		fields: text("fields", { mode: "json" }).$type<ProfileField[]>().notNull().default(sql`'[]'`),
		locked: integer("locked", { mode: "boolean" }).notNull().default(false),
		bot: integer("bot", { mode: "boolean" }).notNull().default(false),
		group: integer("is_group", { mode: "boolean" }).notNull().default(false),
		discoverable: integer("discoverable", { mode: "boolean" }).notNull().default(true),
		indexable: integer("indexable", { mode: "boolean" }).notNull().default(false),
		hideCollections: integer("hide_collections", { mode: "boolean" }).notNull().default(false),
		/** Local accounts: asks search engines to leave the profile and posts out (robots meta and robots.txt). */
		noindex: integer("noindex", { mode: "boolean" }).notNull().default(false),
		memorial: integer("memorial", { mode: "boolean" }).notNull().default(false),
		/** ActivityPub id of the actor; for local accounts derived from the instance origin. */
		uri: text("uri").notNull(),
		url: text("url"),
		inboxUrl: text("inbox_url"),
		sharedInboxUrl: text("shared_inbox_url"),
		outboxUrl: text("outbox_url"),
		followersUrl: text("followers_url"),
		followingUrl: text("following_url"),
		featuredUrl: text("featured_url"),
		alsoKnownAs: text("also_known_as", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		movedToAccountId: text("moved_to_account_id"),
		actorType: text("actor_type").notNull().default("Person"),
		followersCount: integer("followers_count").notNull().default(0),
		followingCount: integer("following_count").notNull().default(0),
		statusesCount: integer("statuses_count").notNull().default(0),
		lastStatusAt: integer("last_status_at", { mode: "timestamp_ms" }),
		suspendedAt: integer("suspended_at", { mode: "timestamp_ms" }),
		/** `local`: suspended here (by a moderator or a domain block); `remote`: its own server suspended it. */
		suspensionOrigin: text("suspension_origin", { enum: ["local", "remote"] }),
		/** Limited ("silenced"): out of public timelines and search, notifications only to followers. */
		silencedAt: integer("silenced_at", { mode: "timestamp_ms" }),
		/** Every post's media is shown as sensitive. */
		sensitizedAt: integer("sensitized_at", { mode: "timestamp_ms" }),
		/** Remote accounts: when the actor document was last fetched. */
		fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		// Case-insensitive: Alice and alice are one account on a domain, as on Mastodon.
		uniqueIndex("accounts_acct_key").on(t.acctKey),
		uniqueIndex("accounts_uri").on(t.uri),
		index("accounts_domain").on(t.domain),
	],
);

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
