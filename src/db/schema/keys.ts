import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/**
 * Signing keys of local accounts (and of the instance actor). Private keys are
 * sealed with KEY_ENCRYPTION_SECRET (see lib/crypto/secret-box.ts). RSA keys are
 * generated off the request path because one costs ~100 ms of CPU.
 */
export const accountKeys = sqliteTable("account_keys", {
	accountId: text("account_id")
		.primaryKey()
		.references(() => accounts.id, { onDelete: "cascade" }),
	rsaPublicKeyPem: text("rsa_public_key_pem").notNull(),
	rsaPrivateKeySealed: text("rsa_private_key_sealed").notNull(),
	ed25519PublicKeyMultibase: text("ed25519_public_key_multibase").notNull(),
	ed25519PrivateKeySealed: text("ed25519_private_key_sealed").notNull(),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

export type AccountKeys = typeof accountKeys.$inferSelect;
