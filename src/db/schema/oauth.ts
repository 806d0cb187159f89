import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./users";

export const oauthApplications = sqliteTable(
	"oauth_applications",
	{
		id: text("id").primaryKey(),
		name: text("name").notNull(),
		website: text("website"),
		redirectUris: text("redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
		scopes: text("scopes").notNull(),
		clientId: text("client_id").notNull(),
		/** SHA-256 of the client secret; the secret itself is shown once, at registration. */
		clientSecretHash: text("client_secret_hash").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("oauth_applications_client_id").on(t.clientId)],
);

export const oauthAccessTokens = sqliteTable(
	"oauth_access_tokens",
	{
		id: text("id").primaryKey(),
		/** SHA-256 of the bearer token; the token itself is never stored. */
		tokenHash: text("token_hash").notNull(),
		applicationId: text("application_id").references(() => oauthApplications.id, { onDelete: "cascade" }),
		/** Null for client_credentials tokens, which act for the app alone. */
		userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
		scopes: text("scopes").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
	},
	(t) => [
		uniqueIndex("oauth_access_tokens_token_hash").on(t.tokenHash),
		index("oauth_access_tokens_user_id").on(t.userId),
	],
);

export type OAuthApplication = typeof oauthApplications.$inferSelect;
export type OAuthAccessToken = typeof oauthAccessTokens.$inferSelect;
