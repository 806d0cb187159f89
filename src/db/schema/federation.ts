import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const REMOTE_KEY_TYPES = ["rsa", "ed25519"] as const;

/**
 * Public keys of remote actors, by key id (`publicKey.id` or an
 * `assertionMethod` Multikey id). Signature verification looks keys up here
 * and refetches the owner when a key is unknown or stale.
 */
export const remotePublicKeys = sqliteTable(
	"remote_public_keys",
	{
		keyId: text("key_id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		type: text("type", { enum: REMOTE_KEY_TYPES }).notNull(),
		/** SPKI PEM for RSA keys, multibase (`z6Mk…`) for Multikey Ed25519 keys. */
		publicKey: text("public_key").notNull(),
		fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("remote_public_keys_account_id").on(t.accountId)],
);

export const SIGNATURE_SPEC_VALUES = ["cavage", "rfc9421"] as const;

/**
 * Which HTTP signature scheme a host accepted last ("double-knock": a 401 to
 * one scheme is retried with the other, and the one that worked is kept).
 */
export const signatureSpecPreferences = sqliteTable("signature_spec_preferences", {
	host: text("host").primaryKey(),
	spec: text("spec", { enum: SIGNATURE_SPEC_VALUES }).notNull(),
	updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export type RemotePublicKey = typeof remotePublicKeys.$inferSelect;
