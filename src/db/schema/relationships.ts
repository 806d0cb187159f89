import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

const accountRef = (name: string) =>
	text(name)
		.notNull()
		.references(() => accounts.id, { onDelete: "cascade" });

/** A follow and a pending follow request carry the same facts; approval moves the row from one table to the other. */
const followColumns = () => ({
	id: text("id").primaryKey(),
	accountId: accountRef("account_id"),
	targetAccountId: accountRef("target_account_id"),
	/** The Follow activity's id, local or remote; needed to Undo it. */
	uri: text("uri"),
	showReblogs: integer("show_reblogs", { mode: "boolean" }).notNull().default(true),
	notify: integer("notify", { mode: "boolean" }).notNull().default(false),
	languages: text("languages", { mode: "json" }).$type<string[]>(),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** `accountId` follows `targetAccountId`. */
export const follows = sqliteTable("follows", followColumns(), (t) => [
	uniqueIndex("follows_pair").on(t.accountId, t.targetAccountId),
	index("follows_target").on(t.targetAccountId, t.accountId),
	index("follows_uri").on(t.uri),
]);

/** A follow waiting for the target's approval (locked accounts) or for the remote Accept. */
export const followRequests = sqliteTable("follow_requests", followColumns(), (t) => [
	uniqueIndex("follow_requests_pair").on(t.accountId, t.targetAccountId),
	index("follow_requests_target").on(t.targetAccountId, t.id),
	index("follow_requests_uri").on(t.uri),
]);

export const blocks = sqliteTable(
	"blocks",
	{
		id: text("id").primaryKey(),
		accountId: accountRef("account_id"),
		targetAccountId: accountRef("target_account_id"),
		uri: text("uri"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("blocks_pair").on(t.accountId, t.targetAccountId), index("blocks_target").on(t.targetAccountId)],
);

export const mutes = sqliteTable(
	"mutes",
	{
		id: text("id").primaryKey(),
		accountId: accountRef("account_id"),
		targetAccountId: accountRef("target_account_id"),
		hideNotifications: integer("hide_notifications", { mode: "boolean" }).notNull().default(true),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("mutes_pair").on(t.accountId, t.targetAccountId)],
);

export type Follow = typeof follows.$inferSelect;
export type FollowRequest = typeof followRequests.$inferSelect;
