import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, type User, users, webSessions } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/crypto/digest";
import { newId } from "../../lib/ids";

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export interface StartedSession {
	/** The cookie value: a random secret whose hash alone is stored. */
	secret: string;
	expiresAt: Date;
}

export async function startWebSession(db: Db, userId: string, userAgent: string | null): Promise<StartedSession> {
	const secret = randomToken(32);
	const now = new Date();
	const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
	await db.insert(webSessions).values({
		id: newId(now),
		sessionHash: await sha256Hex(secret),
		userId,
		userAgent: userAgent?.slice(0, 255) ?? null,
		createdAt: now,
		expiresAt,
	});
	return { secret, expiresAt };
}

/** The signed-in user of an unexpired session, with their account, in one query. */
export async function findWebSessionUser(
	db: Db,
	secret: string,
): Promise<{ user: User; account: Account } | undefined> {
	const rows = await db
		.select({ user: users, account: accounts })
		.from(webSessions)
		.innerJoin(users, eq(users.id, webSessions.userId))
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(and(eq(webSessions.sessionHash, await sha256Hex(secret)), gt(webSessions.expiresAt, new Date())))
		.limit(1);
	return rows[0];
}

export async function endWebSession(db: Db, secret: string): Promise<void> {
	await db.delete(webSessions).where(eq(webSessions.sessionHash, await sha256Hex(secret)));
}
