import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { oauthAccessTokens, oauthApplications, pushSubscriptions, type User, users } from "../../db/schema";
import { sha256Hex } from "../../lib/crypto/digest";
import { ValidationError } from "../../lib/errors";
import { endOtherSessionsStatement } from "./web-sessions";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Statements revoking every token of a member and ending their Web Push subscriptions. */
export function revokeAllTokensStatements(db: Db, userId: string, now: Date) {
	return [
		db
			.delete(pushSubscriptions)
			.where(
				inArray(
					pushSubscriptions.accessTokenId,
					db.select({ id: oauthAccessTokens.id }).from(oauthAccessTokens).where(eq(oauthAccessTokens.userId, userId)),
				),
			),
		db
			.update(oauthAccessTokens)
			.set({ revokedAt: now })
			.where(and(eq(oauthAccessTokens.userId, userId), isNull(oauthAccessTokens.revokedAt))),
	] as const;
}

/**
 * Stores a new password's hash (computed a link per request by the settings
 * page's password check) and ends everything signed in with the old one:
 * every app token and every other browser session (`keepSessionSecret`'s
 * stays, so the member is not thrown out of the page they changed it on).
 */
export async function storePasswordHash(
	db: Db,
	userId: string,
	passwordHash: string,
	keepSessionSecret: string | null,
	now = new Date(),
) {
	const keep = keepSessionSecret ? await sha256Hex(keepSessionSecret) : null;
	await db.batch([
		db.update(users).set({ passwordHash }).where(eq(users.id, userId)),
		endOtherSessionsStatement(db, userId, keep),
		...revokeAllTokensStatements(db, userId, now),
	]);
}

/** Why an address cannot be a sign-in email, if it cannot. */
export function emailProblem(email: string): string | undefined {
	const trimmed = email.trim();
	return EMAIL.test(trimmed) && trimmed.length <= 254 ? undefined : "That is not an email address";
}

/** Changes the sign-in email (the password was checked before); another account's address is refused. */
export async function changeEmail(db: Db, user: User, input: { email: string }): Promise<void> {
	const email = input.email.trim();
	const problem = emailProblem(email);
	if (problem) throw new ValidationError("email", problem);
	const taken = await db
		.select({ id: users.id })
		.from(users)
		.where(sql`lower(${users.email}) = ${email.toLowerCase()} and ${users.id} <> ${user.id}`)
		.limit(1);
	if (taken.length > 0) throw new ValidationError("email", "Another account uses that email address");
	await db.update(users).set({ email }).where(eq(users.id, user.id));
}

export interface AuthorizedApp {
	applicationId: string;
	name: string;
	website: string | null;
	scopes: string[];
	/** When the first still-valid token was issued. */
	authorizedAt: Date;
	tokens: number;
}

/** The apps holding a valid token of the member, one row per app. */
export async function listAuthorizedApps(db: Db, userId: string): Promise<AuthorizedApp[]> {
	const rows = await db
		.select({
			applicationId: oauthApplications.id,
			name: oauthApplications.name,
			website: oauthApplications.website,
			scopes: sql<string>`group_concat(${oauthAccessTokens.scopes}, ' ')`,
			authorizedAt: sql<number>`min(${oauthAccessTokens.createdAt})`,
			tokens: sql<number>`count(*)`,
		})
		.from(oauthAccessTokens)
		.innerJoin(oauthApplications, eq(oauthApplications.id, oauthAccessTokens.applicationId))
		.where(and(eq(oauthAccessTokens.userId, userId), isNull(oauthAccessTokens.revokedAt)))
		.groupBy(oauthApplications.id)
		.orderBy(desc(sql`min(${oauthAccessTokens.createdAt})`));
	return rows.map((row) => ({
		...row,
		scopes: [...new Set(row.scopes.split(/\s+/).filter(Boolean))],
		authorizedAt: new Date(Number(row.authorizedAt)),
		tokens: Number(row.tokens),
	}));
}

/** Revokes every token the member gave one app (its Web Push subscriptions end with them). */
export async function revokeApp(db: Db, userId: string, applicationId: string, now = new Date()): Promise<void> {
	const mine = and(
		eq(oauthAccessTokens.userId, userId),
		eq(oauthAccessTokens.applicationId, applicationId),
		isNull(oauthAccessTokens.revokedAt),
	);
	await db.batch([
		db
			.delete(pushSubscriptions)
			.where(
				inArray(
					pushSubscriptions.accessTokenId,
					db.select({ id: oauthAccessTokens.id }).from(oauthAccessTokens).where(mine),
				),
			),
		db.update(oauthAccessTokens).set({ revokedAt: now }).where(mine),
	]);
}
