import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const USER_ROLES = ["user", "moderator", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type PostingPrivacy = "public" | "unlisted" | "private" | "direct";

/** A person who signs in; always owns exactly one local account. */
export const users = sqliteTable(
	"users",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		email: text("email").notNull(),
		passwordHash: text("password_hash"),
		role: text("role", { enum: USER_ROLES }).notNull().default("user"),
		confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
		approved: integer("approved", { mode: "boolean" }).notNull().default(true),
		disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
		locale: text("locale").notNull().default("en"),
		defaultPrivacy: text("default_privacy").$type<PostingPrivacy>().notNull().default("public"),
		defaultSensitive: integer("default_sensitive", { mode: "boolean" }).notNull().default(false),
		defaultLanguage: text("default_language"),
		signUpReason: text("sign_up_reason"),
		/** A sign-up a moderator turned down; the person sees `rejectionNotice` when signing in. */
		rejectedAt: integer("rejected_at", { mode: "timestamp_ms" }),
		rejectionNotice: text("rejection_notice"),
		/** SHA-256 of the address the account signed up from, for spotting sign-up waves. */
		signUpAddressHash: text("sign_up_address_hash"),
		lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }),
		/** The TOTP secret, sealed under KEY_ENCRYPTION_SECRET; set while setting up and once enabled. */
		otpSecret: text("otp_secret"),
		/** When two-factor sign-in was turned on; null while it is off. */
		otpEnabledAt: integer("otp_enabled_at", { mode: "timestamp_ms" }),
		/** The last TOTP time step accepted, so a code is never accepted twice. */
		otpLastStep: integer("otp_last_step"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("users_account_id").on(t.accountId), uniqueIndex("users_email").on(t.email)],
);

export type User = typeof users.$inferSelect;
