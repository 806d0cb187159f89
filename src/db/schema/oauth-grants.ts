import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { oauthAccessTokens, oauthApplications } from "./oauth";
import { users } from "./users";

/**
 * Authorization codes of the OAuth code flow. Only the SHA-256 of a code is
 * kept; a code works once, for ten minutes, with the redirect URI it was
 * issued for and (with PKCE) the verifier matching its challenge.
 */
export const oauthAuthorizationCodes = sqliteTable(
	"oauth_authorization_codes",
	{
		id: text("id").primaryKey(),
		codeHash: text("code_hash").notNull(),
		applicationId: text("application_id")
			.notNull()
			.references(() => oauthApplications.id, { onDelete: "cascade" }),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		redirectUri: text("redirect_uri").notNull(),
		scopes: text("scopes").notNull(),
		codeChallenge: text("code_challenge"),
		codeChallengeMethod: text("code_challenge_method").$type<"S256" | "plain">(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
		usedAt: integer("used_at", { mode: "timestamp_ms" }),
		/** The token the code was exchanged for: revoked if the code is replayed (RFC 6749 §4.1.2). */
		accessTokenId: text("access_token_id").references(() => oauthAccessTokens.id, { onDelete: "set null" }),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [
		uniqueIndex("oauth_authorization_codes_code_hash").on(t.codeHash),
		index("oauth_authorization_codes_expires_at").on(t.expiresAt),
	],
);

export type OAuthAuthorizationCode = typeof oauthAuthorizationCodes.$inferSelect;
