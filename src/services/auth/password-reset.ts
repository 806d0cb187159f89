import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, passwordResets, type User, users } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/crypto/digest";
import { NotPermittedError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { storePasswordHash } from "./account-security";

export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;

export interface ResetLink {
	url: string;
	expiresAt: Date;
}

/** The path a reset link opens; the token is in it, so it is never logged by this server. */
export function resetLinkPath(token: string): string {
	return `/auth/password/reset/${token}`;
}

async function issue(db: Db, origin: string, userId: string, createdBy: string | null, now: Date): Promise<ResetLink> {
	const token = randomToken(32);
	const expiresAt = new Date(now.getTime() + RESET_LINK_LIFETIME_MS);
	await db.insert(passwordResets).values({
		id: newId(now),
		userId,
		tokenHash: await sha256Hex(token),
		createdByUserId: createdBy,
		expiresAt,
		createdAt: now,
	});
	return { url: `${origin}${resetLinkPath(token)}`, expiresAt };
}

/**
 * A one-time link, valid for an hour, with which a member sets a new
 * password: made by an admin or moderator for a member who forgot theirs
 * (the admin console and `npx tern user reset-password`). Staff hand the
 * link over themselves; Tern does not send it. A moderator cannot make one
 * for an admin.
 */
export async function createPasswordResetLink(
	db: Db,
	origin: string,
	input: { target: User; createdBy: User | null },
	now = new Date(),
): Promise<ResetLink> {
	const { target, createdBy } = input;
	if (createdBy && createdBy.role === "user")
		throw new NotPermittedError("Only admins and moderators can make reset links");
	if (createdBy && createdBy.role === "moderator" && target.role === "admin") {
		throw new NotPermittedError("A moderator cannot reset an admin's password");
	}
	return issue(db, origin, target.id, createdBy?.id ?? null, now);
}

/** A link a member asked for themselves, to be sent by email (only when the instance can send email). */
export async function createSelfServiceResetLink(
	db: Db,
	origin: string,
	email: string,
	now = new Date(),
): Promise<{ link: ResetLink; user: User; account: Account } | undefined> {
	const rows = await db
		.select({ user: users, account: accounts })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(users.email, email.trim()))
		.limit(1);
	const row = rows[0];
	if (!row || row.user.disabled || row.account.suspendedAt) return undefined;
	return { link: await issue(db, origin, row.user.id, null, now), ...row };
}

/** The account a reset token opens, if the link is unused and not expired. */
export async function findResetLink(
	db: Db,
	token: string,
	now = new Date(),
): Promise<{ user: User; account: Account } | undefined> {
	const rows = await db
		.select({ user: users, account: accounts })
		.from(passwordResets)
		.innerJoin(users, eq(users.id, passwordResets.userId))
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(
			and(
				eq(passwordResets.tokenHash, await sha256Hex(token)),
				isNull(passwordResets.usedAt),
				gt(passwordResets.expiresAt, now),
			),
		)
		.limit(1);
	return rows[0];
}

/**
 * Uses a reset link: claimed with one conditional update (so it works once,
 * even when submitted twice at the same moment), then the new password's hash
 * (computed over requests by the reset page) is stored and every session and
 * token of the account ends. Two-factor sign-in stays on.
 */
export async function useResetLink(db: Db, token: string, passwordHash: string, now = new Date()): Promise<User> {
	const found = await findResetLink(db, token, now);
	if (!found) throw new ValidationError("token", "This link has expired or was already used. Ask for a new one.");
	const claimed = await db
		.update(passwordResets)
		.set({ usedAt: now })
		.where(and(eq(passwordResets.tokenHash, await sha256Hex(token)), isNull(passwordResets.usedAt)))
		.returning({ id: passwordResets.id });
	if (claimed.length === 0) throw new ValidationError("token", "This link was already used.");
	await storePasswordHash(db, found.user.id, passwordHash, null, now);
	return found.user;
}
