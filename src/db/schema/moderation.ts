import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const REPORT_CATEGORIES = ["spam", "legal", "violation", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** What a reported post looked like when it was reported, kept in case it is deleted or its author purged. */
export interface ReportedStatusSnapshot {
	id: string;
	uri: string;
	url: string | null;
	content: string;
	spoilerText: string;
	visibility: string;
	sensitive: boolean;
	createdAt: string;
	media: { type: string; url: string | null; description: string | null }[];
}

/** Reports, local or received as Flag activities from other servers. */
export const reports = sqliteTable(
	"reports",
	{
		id: text("id").primaryKey(),
		/** The reporter; for remote Flags, the sending server's actor. */
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		targetAccountId: text("target_account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		statusIds: text("status_ids", { mode: "json" }).$type<string[]>().notNull(),
		statusSnapshots: text("status_snapshots", { mode: "json" })
			.$type<ReportedStatusSnapshot[]>()
			.notNull()
			.default(sql`'[]'`),
		comment: text("comment").notNull().default(""),
		category: text("category", { enum: REPORT_CATEGORIES }).notNull().default("other"),
		ruleIds: text("rule_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		/** A local report sent on to the reported account's server as a Flag. */
		forwarded: integer("forwarded", { mode: "boolean" }).notNull().default(false),
		uri: text("uri"),
		// No foreign keys on these two: SQLite cannot add a column with ON DELETE SET NULL, and a
		// moderator's account going away must not be blocked by the reports they handled.
		assignedAccountId: text("assigned_account_id"),
		actionTakenAt: integer("action_taken_at", { mode: "timestamp_ms" }),
		actionTakenByAccountId: text("action_taken_by_account_id"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		/** Null on reports from before moderation tracked it: their creation time stands in. */
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
	},
	(t) => [
		index("reports_target").on(t.targetAccountId),
		uniqueIndex("reports_uri").on(t.uri),
		index("reports_open").on(t.actionTakenAt, t.id),
	],
);

/** Moderators' notes on a report, including the note given when resolving it. */
export const reportNotes = sqliteTable(
	"report_notes",
	{
		id: text("id").primaryKey(),
		reportId: text("report_id")
			.notNull()
			.references(() => reports.id, { onDelete: "cascade" }),
		/** The moderator; null when written from the CLI. */
		accountId: text("account_id").references(() => accounts.id, { onDelete: "set null" }),
		content: text("content").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("report_notes_report").on(t.reportId, t.id)],
);

export const ACCOUNT_WARNING_ACTIONS = [
	"none",
	"disable",
	"mark_statuses_as_sensitive",
	"delete_statuses",
	"sensitive",
	"silence",
	"suspend",
] as const;
export type AccountWarningAction = (typeof ACCOUNT_WARNING_ACTIONS)[number];

/** A moderation decision about an account (Mastodon's "strike"), shown to a local member as a notification. */
export const accountWarnings = sqliteTable(
	"account_warnings",
	{
		id: text("id").primaryKey(),
		/** The moderator; null when taken from the CLI. */
		accountId: text("account_id").references(() => accounts.id, { onDelete: "set null" }),
		targetAccountId: text("target_account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		action: text("action", { enum: ACCOUNT_WARNING_ACTIONS }).notNull(),
		text: text("text").notNull().default(""),
		reportId: text("report_id").references(() => reports.id, { onDelete: "set null" }),
		statusIds: text("status_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("account_warnings_target").on(t.targetAccountId, t.id)],
);

/**
 * The audit log: every moderation and administration action, who took it,
 * on what, when and why. Targets are named by type and id plus a readable
 * identifier kept even after the target is gone.
 */
export const adminActionLogs = sqliteTable(
	"admin_action_logs",
	{
		id: text("id").primaryKey(),
		/** Who acted; null for the CLI (the server's operator). */
		accountId: text("account_id").references(() => accounts.id, { onDelete: "set null" }),
		action: text("action").notNull(),
		targetType: text("target_type").notNull(),
		targetId: text("target_id"),
		humanIdentifier: text("human_identifier").notNull().default(""),
		/** Why: the note, comment or warning text given with the action. */
		note: text("note").notNull().default(""),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("admin_action_logs_account").on(t.accountId, t.id)],
);

export const DOMAIN_BLOCK_SEVERITIES = ["silence", "suspend", "noop"] as const;
export type DomainBlockSeverity = (typeof DOMAIN_BLOCK_SEVERITIES)[number];

/** Instance-wide limits on another server (Mastodon's DomainBlock); subdomains follow their parent's block. */
export const domainBlocks = sqliteTable(
	"domain_blocks",
	{
		id: text("id").primaryKey(),
		/** Lowercased host name without port (punycode for IDNs). */
		domain: text("domain").notNull(),
		severity: text("severity", { enum: DOMAIN_BLOCK_SEVERITIES }).notNull(),
		rejectMedia: integer("reject_media", { mode: "boolean" }).notNull().default(false),
		rejectReports: integer("reject_reports", { mode: "boolean" }).notNull().default(false),
		privateComment: text("private_comment"),
		publicComment: text("public_comment"),
		obfuscate: integer("obfuscate", { mode: "boolean" }).notNull().default(false),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("domain_blocks_domain").on(t.domain)],
);

/** Servers allowed to federate when the instance runs in limited federation (allow-list) mode. */
export const domainAllows = sqliteTable(
	"domain_allows",
	{
		id: text("id").primaryKey(),
		domain: text("domain").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("domain_allows_domain").on(t.domain)],
);

/** Email domains sign-ups may not use (or, with `allowWithApproval`, only with a moderator's approval). */
export const emailDomainBlocks = sqliteTable(
	"email_domain_blocks",
	{
		id: text("id").primaryKey(),
		domain: text("domain").notNull(),
		allowWithApproval: integer("allow_with_approval", { mode: "boolean" }).notNull().default(false),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("email_domain_blocks_domain").on(t.domain)],
);

/** Sign-up attempts that met an email domain block, per day: the block's `history`. */
export const emailDomainBlockAttempts = sqliteTable(
	"email_domain_block_attempts",
	{
		blockId: text("block_id")
			.notNull()
			.references(() => emailDomainBlocks.id, { onDelete: "cascade" }),
		/** Midnight UTC of the day, in seconds (as Mastodon's history reports it). */
		day: integer("day").notNull(),
		attempts: integer("attempts").notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.blockId, t.day] })],
);

/** A member's own block of a whole server: its posts and notifications leave their views, follows end. */
export const accountDomainBlocks = sqliteTable(
	"account_domain_blocks",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		/** As accounts store it: the host, with a port when not the default. */
		domain: text("domain").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("account_domain_blocks_pair").on(t.accountId, t.domain)],
);

export const SEVERANCE_TYPES = ["domain_block", "user_domain_block", "account_suspension"] as const;
export type SeveranceType = (typeof SEVERANCE_TYPES)[number];

/**
 * What one local member lost when follows were severed by a block or a
 * suspension (Mastodon's RelationshipSeveranceEvent as that member sees it),
 * with the accounts involved so the member can look them up later.
 */
export const relationshipSeveranceEvents = sqliteTable(
	"relationship_severance_events",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		type: text("type", { enum: SEVERANCE_TYPES }).notNull(),
		/** The domain, or the suspended account's handle. */
		targetName: text("target_name").notNull(),
		followersCount: integer("followers_count").notNull().default(0),
		followingCount: integer("following_count").notNull().default(0),
		/** Handles of the followers and followed accounts removed. */
		followers: text("followers", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		following: text("following", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("relationship_severance_events_account").on(t.accountId, t.id)],
);

/** Recent sign-ups by client address (a SHA-256 of it), to throttle mass registration. */
export const signUpAttempts = sqliteTable(
	"sign_up_attempts",
	{
		id: text("id").primaryKey(),
		addressHash: text("address_hash").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("sign_up_attempts_address").on(t.addressHash, t.createdAt)],
);

export type Report = typeof reports.$inferSelect;
export type ReportNote = typeof reportNotes.$inferSelect;
export type AccountWarning = typeof accountWarnings.$inferSelect;
export type AdminActionLog = typeof adminActionLogs.$inferSelect;
export type DomainBlock = typeof domainBlocks.$inferSelect;
export type DomainAllow = typeof domainAllows.$inferSelect;
export type EmailDomainBlock = typeof emailDomainBlocks.$inferSelect;
export type AccountDomainBlock = typeof accountDomainBlocks.$inferSelect;
export type RelationshipSeveranceEvent = typeof relationshipSeveranceEvents.$inferSelect;
