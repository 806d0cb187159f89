import { and, eq, isNull, sql } from "drizzle-orm";
import { type Db, reusableSelect } from "../../db/client";
import { type Account, accounts, oauthAccessTokens, type User, users } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/crypto/digest";
import { newId } from "../../lib/ids";
import { deleteTokenSubscriptionStatement } from "../push/subscriptions";

export interface IssuedToken {
	id: string;
	/** The bearer token; shown once and stored only as a hash. */
	accessToken: string;
	scopes: string;
	createdAt: Date;
}

export async function issueAccessToken(
	db: Db,
	options: { userId: string | null; applicationId: string | null; scopes: string },
): Promise<IssuedToken> {
	const accessToken = randomToken(32);
	const row = {
		id: newId(),
		tokenHash: await sha256Hex(accessToken),
		applicationId: options.applicationId,
		userId: options.userId,
		scopes: options.scopes,
		createdAt: new Date(),
	};
	await db.insert(oauthAccessTokens).values(row);
	return { id: row.id, accessToken, scopes: row.scopes, createdAt: row.createdAt };
}

export interface TokenOwner {
	tokenId: string;
	applicationId: string | null;
	scopes: string;
	user: User | null;
	account: Account | null;
}

/** The token lookup of every authenticated request, its SQL built once per isolate. */
const tokenOwnerSelect = reusableSelect<{
	token: typeof oauthAccessTokens.$inferSelect;
	user: User | null;
	account: Account | null;
}>((db) =>
	db
		.select({ token: oauthAccessTokens, user: users, account: accounts })
		.from(oauthAccessTokens)
		.leftJoin(users, eq(users.id, oauthAccessTokens.userId))
		.leftJoin(accounts, eq(accounts.id, users.accountId))
		.where(and(eq(oauthAccessTokens.tokenHash, sql.placeholder("hash")), isNull(oauthAccessTokens.revokedAt)))
		.limit(1),
);

/** Looks up an unrevoked token with its user and account in one query. */
export async function findActiveToken(db: Db, accessToken: string): Promise<TokenOwner | undefined> {
	const rows = await tokenOwnerSelect(db, { hash: await sha256Hex(accessToken) });
	const row = rows[0];
	if (!row) return undefined;
	return {
		tokenId: row.token.id,
		applicationId: row.token.applicationId,
		scopes: row.token.scopes,
		user: row.user,
		account: row.account,
	};
}

export type RevokeOutcome = "revoked" | "unknown" | "other_client";

/**
 * RFC 7009 revocation by the client the token was issued to. An unknown or
 * already revoked token is not an error; another client's token is left alone.
 */
export async function revokeTokenForClient(db: Db, applicationId: string, accessToken: string): Promise<RevokeOutcome> {
	const tokenHash = await sha256Hex(accessToken);
	const rows = await db
		.select({ id: oauthAccessTokens.id, applicationId: oauthAccessTokens.applicationId })
		.from(oauthAccessTokens)
		.where(eq(oauthAccessTokens.tokenHash, tokenHash))
		.limit(1);
	const row = rows[0];
	if (!row) return "unknown";
	if (row.applicationId !== applicationId) return "other_client";
	await db.batch(revokeTokenStatements(db, row.id, new Date()));
	return "revoked";
}

/** Revokes a token and ends its Web Push subscription, for one db.batch. */
export function revokeTokenStatements(db: Db, tokenId: string, now: Date) {
	return [
		db
			.update(oauthAccessTokens)
			.set({ revokedAt: now })
			.where(and(eq(oauthAccessTokens.id, tokenId), isNull(oauthAccessTokens.revokedAt))),
		deleteTokenSubscriptionStatement(db, tokenId),
	] as const;
}
