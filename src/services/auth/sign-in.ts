import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, type User, users } from "../../db/schema";
import { hashPassword, verifyPassword } from "../../lib/crypto/password";

/** Hashed once per isolate so an unknown email costs the same PBKDF2 time as a wrong password. */
let decoyHash: Promise<string> | undefined;

export interface SignInResult {
	user: User;
	account: Account;
}

/**
 * Checks an email and password. Stored hashes with weaker parameters are
 * replaced on success; the sign-in time feeds the instance's active-user count.
 */
export async function checkCredentials(db: Db, email: string, password: string): Promise<SignInResult | undefined> {
	const rows = await db
		.select({ user: users, account: accounts })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
		.limit(1);
	const row = rows[0];
	if (!row?.user.passwordHash) {
		decoyHash ??= hashPassword("decoy password for timing");
		await verifyPassword(password, await decoyHash);
		return undefined;
	}
	const check = await verifyPassword(password, row.user.passwordHash);
	if (!check.ok) return undefined;
	const now = new Date();
	const update: Partial<User> = { lastSignInAt: now };
	if (check.needsRehash) update.passwordHash = await hashPassword(password);
	await db.update(users).set(update).where(eq(users.id, row.user.id));
	return { user: { ...row.user, ...update }, account: row.account };
}
