import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/** What trends: hashtags, links shared in posts, and posts themselves. */
export const TREND_KINDS = ["tag", "link", "status"] as const;
export type TrendKind = (typeof TREND_KINDS)[number];

/**
 * Who used a hashtag or shared a link on which day (UTC), read from public
 * posts by the cron a batch at a time: the distinct accounts of today and
 * yesterday are what Mastodon scores, and the last week is each trend's
 * history. Rows older than a week are pruned.
 */
export const trendUses = sqliteTable(
	"trend_uses",
	{
		kind: text("kind", { enum: TREND_KINDS }).notNull(),
		/** The normalized tag name, or the link's URL. */
		key: text("key").notNull(),
		/** Midnight UTC of the day, in milliseconds. */
		day: integer("day").notNull(),
		accountId: text("account_id").notNull(),
		/** Posts by this account that day (uses are summed, accounts counted). */
		uses: integer("uses").notNull().default(1),
	},
	(t) => [primaryKey({ columns: [t.kind, t.key, t.day, t.accountId] }), index("trend_uses_day").on(t.kind, t.day)],
);

/**
 * The latest scores, recomputed by the cron; the API reads the ranking from
 * here. Tags and links keep their highest score and when it was reached, as
 * Mastodon does, to decay from it; a status is a candidate while it was
 * boosted or favourited lately (`seenAt`).
 */
export const trendScores = sqliteTable(
	"trend_scores",
	{
		kind: text("kind", { enum: TREND_KINDS }).notNull(),
		key: text("key").notNull(),
		score: real("score").notNull().default(0),
		maxScore: real("max_score").notNull().default(0),
		maxScoreAt: integer("max_score_at"),
		seenAt: integer("seen_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.kind, t.key] }), index("trend_scores_rank").on(t.kind, t.score)],
);

/** Tags and links an admin keeps out of trends (`npx tern trends hide`). */
export const trendHidden = sqliteTable(
	"trend_hidden",
	{
		kind: text("kind", { enum: TREND_KINDS }).notNull(),
		key: text("key").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/** How far the cron has read each source (statuses and favourites, by rowid). */
export const trendWatermarks = sqliteTable("trend_watermarks", {
	name: text("name").primaryKey(),
	value: integer("value").notNull(),
});

/**
 * What a trending link's page says of itself (OpenGraph and HTML meta), read
 * once it trends; a link whose page gives no title is not shown, as
 * Mastodon shows only links with a preview card.
 */
export const linkCards = sqliteTable("link_cards", {
	url: text("url").primaryKey(),
	title: text("title").notNull().default(""),
	description: text("description").notNull().default(""),
	type: text("type", { enum: ["link", "photo", "video", "rich"] })
		.notNull()
		.default("link"),
	providerName: text("provider_name").notNull().default(""),
	authorName: text("author_name").notNull().default(""),
	authorUrl: text("author_url"),
	language: text("language"),
	publishedAt: integer("published_at", { mode: "timestamp_ms" }),
	fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
	/** Set when the page could not be read; tried again a day later. */
	failed: integer("failed", { mode: "boolean" }).notNull().default(false),
});

/** Accounts a member asked not to be suggested again (DELETE /api/v1/suggestions/:id). */
export const suggestionDismissals = sqliteTable(
	"suggestion_dismissals",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		targetAccountId: text("target_account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.targetAccountId] })],
);

export type LinkCard = typeof linkCards.$inferSelect;
