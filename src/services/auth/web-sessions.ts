import { and, desc, eq, gt, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, type User, users, type WebSession, webSessions } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/crypto/digest";
import { newId } from "../../lib/ids";

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** How long a correct password waits for its second factor. */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

export interface StartedSession {
	/** The cookie value: a random secret whose hash alone is stored. */
	secret: string;
	expiresAt: Date;
}

export async function startWebSession(
	db: Db,
	userId: string,
	userAgent: string | null,
	options: { pending?: boolean } = {},
): Promise<StartedSession> {
	const secret = randomToken(32);
	const now = new Date();
	const expiresAt = new Date(now.getTime() + (options.pending ? PENDING_SIGN_IN_MS : SESSION_LIFETIME_MS));
	await db.insert(webSessions).values({
		id: newId(now),
		sessionHash: await sha256Hex(secret),
		userId,
		userAgent: userAgent?.slice(0, 255) ?? null,
		verified: !options.pending,
		createdAt: now,
		expiresAt,
	});
	return { secret, expiresAt };
}

/** A sign-in that passed the password and waits for its second factor (`startWebSession` with pending). */
export async function findPendingSignIn(db: Db, secret: string): Promise<{ user: User; account: Account } | undefined> {
	const rows = await db
		.select({ user: users, account: accounts })
		.from(webSessions)
		.innerJoin(users, eq(users.id, webSessions.userId))
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(
			and(
				eq(webSessions.sessionHash, await sha256Hex(secret)),
				eq(webSessions.verified, false),
				gt(webSessions.expiresAt, new Date()),
			),
		)
		.limit(1);
	return rows[0];
}

/** A member's browser sessions, newest first, with which one is `currentSecret`'s. */
export async function listWebSessions(
	db: Db,
	userId: string,
	currentSecret: string,
): Promise<(Pick<WebSession, "id" | "userAgent" | "createdAt" | "expiresAt"> & { current: boolean })[]> {
	const currentHash = await sha256Hex(currentSecret);
	const rows = await db
		.select({
			id: webSessions.id,
			userAgent: webSessions.userAgent,
			createdAt: webSessions.createdAt,
			expiresAt: webSessions.expiresAt,
			hash: webSessions.sessionHash,
		})
		.from(webSessions)
		.where(and(eq(webSessions.userId, userId), eq(webSessions.verified, true), gt(webSessions.expiresAt, new Date())))
		.orderBy(desc(webSessions.createdAt));
	return rows.map(({ hash, ...row }) => ({ ...row, current: hash === currentHash }));
}

/** Signs one of a member's sessions out (from their list of sessions). */
export async function endWebSessionById(db: Db, userId: string, id: string): Promise<void> {
	await db.delete(webSessions).where(and(eq(webSessions.id, id), eq(webSessions.userId, userId)));
}

/** Statement ending every session of a member but `keepSecretHash`'s (all of them without one). */
export function endOtherSessionsStatement(db: Db, userId: string, keepSecretHash: string | null) {
	return db
		.delete(webSessions)
		.where(
			keepSecretHash
				? and(eq(webSessions.userId, userId), ne(webSessions.sessionHash, keepSecretHash))
				: eq(webSessions.userId, userId),
		);
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
		.where(
			and(
				eq(webSessions.sessionHash, await sha256Hex(secret)),
				eq(webSessions.verified, true),
				gt(webSessions.expiresAt, new Date()),
			),
		)
		.limit(1);
	return rows[0];
}

export async function endWebSession(db: Db, secret: string): Promise<void> {
	await db.delete(webSessions).where(eq(webSessions.sessionHash, await sha256Hex(secret)));
}
