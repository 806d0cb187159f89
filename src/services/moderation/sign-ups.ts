import { and, asc, count, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, signUpAttempts, type User, users } from "../../db/schema";
import { sha256Hex } from "../../lib/crypto/digest";
import { newId } from "../../lib/ids";
import { staffAccountIds, staffNotificationStatement } from "./staff";

/** Sign-ups allowed per client address in the window, as Mastodon's rate limit (5 per 30 minutes). */
export const SIGN_UP_LIMIT = 5;
export const SIGN_UP_WINDOW_MS = 30 * 60 * 1000;

export async function addressHash(address: string): Promise<string> {
	return sha256Hex(`sign-up-ip:${address}`);
}

export class SignUpThrottledError extends Error {
	constructor() {
		super("Too many sign-ups from your network. Please try again later.");
	}
}

/** Whether this address has signed up too often lately; checked before any other work. */
export async function signUpThrottled(db: Db, address: string | null, now = new Date()): Promise<boolean> {
	if (!address) return false;
	const since = new Date(now.getTime() - SIGN_UP_WINDOW_MS);
	const [row] = await db
		.select({ n: count() })
		.from(signUpAttempts)
		.where(and(eq(signUpAttempts.addressHash, await addressHash(address)), gt(signUpAttempts.createdAt, since)));
	return (row?.n ?? 0) >= SIGN_UP_LIMIT;
}

/** Counts a sign-up attempt from this address (successful or not: a wave of bad forms counts too). */
export async function recordSignUpAttempt(db: Db, address: string | null, now = new Date()): Promise<void> {
	if (!address) return;
	await db.batch([
		db.insert(signUpAttempts).values({ id: newId(now), addressHash: await addressHash(address), createdAt: now }),
		db.delete(signUpAttempts).where(lt(signUpAttempts.createdAt, new Date(now.getTime() - SIGN_UP_WINDOW_MS))),
	]);
}

/** Staff who manage users hear of every new sign-up (`admin.sign_up`), approved or waiting. */
export async function notifyStaffOfSignUp(db: Db, account: Account, now = new Date()): Promise<void> {
	const recipients = await staffAccountIds(db, "manageUsers");
	if (recipients.length === 0) return;
	await staffNotificationStatement(db, recipients, {
		type: "admin.sign_up",
		fromAccountId: account.id,
		subjectId: account.id,
		at: now,
	});
}

export interface PendingSignUp {
	account: Account;
	user: User;
}

/** The approval queue, oldest first: who is waiting, with what they wrote. */
export async function pendingSignUps(db: Db, limit = 100): Promise<PendingSignUp[]> {
	return db
		.select({ account: accounts, user: users })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(and(eq(users.approved, false), isNull(users.rejectedAt)))
		.orderBy(asc(users.id))
		.limit(limit);
}

export async function pendingSignUpCount(db: Db): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(users)
		.where(and(eq(users.approved, false), isNull(users.rejectedAt)));
	return Number(row?.n ?? 0);
}
