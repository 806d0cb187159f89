import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { statuses } from "./statuses";

export const favourites = sqliteTable(
	"favourites",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		/** The Like activity's id, needed to Undo it. */
		uri: text("uri"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		uniqueIndex("favourites_pair").on(t.accountId, t.statusId),
		index("favourites_status").on(t.statusId, t.id),
		index("favourites_account").on(t.accountId, t.id),
	],
);

export const bookmarks = sqliteTable(
	"bookmarks",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		statusId: text("status_id")
			.notNull()
			.references(() => statuses.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("bookmarks_pair").on(t.accountId, t.statusId), index("bookmarks_account").on(t.accountId, t.id)],
);

/**
 * The home timeline, written when a post arrives (fan-out on write) so a page
 * of 40 reads about 40 rows. `statusId` is the id shown in the timeline (the
 * boost's own id for boosts), which is also the pagination key. Rebuilt
 * WITHOUT ROWID by a hand-written migration and given no other index, so an
 * entry costs one row written: a post lands in many feeds, and D1's free
 * writes are scarce (unfollow clean-up finds entries through the author's
 * statuses instead of an index here, and the boost rule reads only the
 * newest entries through the primary key).
 */
export const homeFeed = sqliteTable(
	"home_feed",
	{
		accountId: text("account_id").notNull(),
		statusId: text("status_id").notNull(),
		/** The author shown first in the entry (the booster for boosts), for lists. */
		authorId: text("author_id").notNull(),
		/**
		 * For boosts, the boosted post: a boost whose original (or another boost
		 * of it) is among the recent entries is left out, as Mastodon's feed does.
		 */
		reblogOfId: text("reblog_of_id"),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.statusId] })],
);

export const NOTIFICATION_TYPES = [
	"mention",
	"status",
	"reblog",
	"follow",
	"follow_request",
	"favourite",
	"poll",
	"update",
	"admin.sign_up",
	"admin.report",
	"moved",
	"moderation_warning",
	"severed_relationships",
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const notifications = sqliteTable(
	"notifications",
	{
		id: text("id").primaryKey(),
		/** The recipient. */
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		fromAccountId: text("from_account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		type: text("type", { enum: NOTIFICATION_TYPES }).notNull(),
		statusId: text("status_id"),
		/** What a non-status notification is about: a report, a moderation warning or a severance event. */
		subjectId: text("subject_id"),
		/** For grouped notifications (`/api/v2/notifications`). */
		groupKey: text("group_key").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		index("notifications_account").on(t.accountId, t.id),
		index("notifications_group").on(t.accountId, t.groupKey),
	],
);

export type Notification = typeof notifications.$inferSelect;
