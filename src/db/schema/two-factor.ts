import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** One-time recovery codes for two-factor sign-in; only their SHA-256 is kept. */
export const recoveryCodes = sqliteTable(
	"two_factor_recovery_codes",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		codeHash: text("code_hash").notNull(),
		usedAt: integer("used_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		index("two_factor_recovery_codes_user").on(t.userId),
		uniqueIndex("two_factor_recovery_codes_hash").on(t.codeHash),
	],
);

/**
 * One-time password reset links, made by an admin or moderator (or sent by
 * email when the instance can send it). Only the token's SHA-256 is kept.
 */
export const passwordResets = sqliteTable(
	"password_resets",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		tokenHash: text("token_hash").notNull(),
		/** The staff member who made it; null when the member asked for it by email. */
		createdByUserId: text("created_by_user_id"),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
		usedAt: integer("used_at", { mode: "timestamp_ms" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("password_resets_token_hash").on(t.tokenHash), index("password_resets_user").on(t.userId)],
);

export type PasswordReset = typeof passwordResets.$inferSelect;
