import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { oauthAccessTokens } from "./oauth";

/**
 * The instance's VAPID key (RFC 8292), one row with id 1. Created on first use
 * with insert-or-ignore, so concurrent first requests agree on one key.
 */
export const vapidKeys = sqliteTable("vapid_keys", {
	id: integer("id").primaryKey(),
	/** Uncompressed P-256 point, base64url without padding: what clients get as `vapid_key`. */
	publicKey: text("public_key").notNull(),
	/** PKCS#8, sealed with KEY_ENCRYPTION_SECRET (lib/crypto/secret-box.ts). */
	privateKeySealed: text("private_key_sealed").notNull(),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

export const PUSH_POLICIES = ["all", "followed", "follower", "none"] as const;
export type PushPolicy = (typeof PUSH_POLICIES)[number];

/**
 * Web Push subscriptions, one per access token (Mastodon's rule): revoking or
 * deleting the token ends its subscription.
 */
export const pushSubscriptions = sqliteTable(
	"push_subscriptions",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		accessTokenId: text("access_token_id")
			.notNull()
			.references(() => oauthAccessTokens.id, { onDelete: "cascade" }),
		/**
		 * The bearer token itself, sealed: Mastodon puts it in every push payload so
		 * the receiving app knows which of its logins the push is for.
		 */
		accessTokenSealed: text("access_token_sealed").notNull(),
		endpoint: text("endpoint").notNull(),
		/** The user agent's ECDH public key and auth secret, base64url as the client sent them. */
		keyP256dh: text("key_p256dh").notNull(),
		keyAuth: text("key_auth").notNull(),
		/** RFC 8291 aes128gcm when true; the legacy draft "aesgcm" encoding (Mastodon's default) when false. */
		standard: integer("standard", { mode: "boolean" }).notNull().default(false),
		alerts: text("alerts", { mode: "json" }).$type<Record<string, boolean>>().notNull(),
		policy: text("policy", { enum: PUSH_POLICIES }).notNull().default("all"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		uniqueIndex("push_subscriptions_access_token").on(t.accessTokenId),
		index("push_subscriptions_account").on(t.accountId),
	],
);

export type PushSubscription = typeof pushSubscriptions.$inferSelect;
export type VapidKeyRow = typeof vapidKeys.$inferSelect;
