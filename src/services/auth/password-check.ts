import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import {
	advanceChain,
	type ChainProgress,
	type ChainProgressJson,
	chainFinished,
	chainFromJson,
	chainHash,
	chainMatches,
	chainToJson,
	ITERATIONS_PER_INVOCATION,
	parseStoredPassword,
	passwordProblem,
	startChain,
	verifyLegacy,
} from "../../lib/crypto/password";
import { openJson, sealJson } from "../../lib/crypto/secret-box";
import { ValidationError } from "../../lib/errors";

/**
 * A member's own password, checked before a settings action that asks for it
 * (a new email or password, two-factor changes, moving, deleting the account),
 * and a new password hashed, a chain link per request as the web sign-in does
 * (src/services/auth/sign-in.ts, docs/performance.md "Sign-in"): each request
 * stays within the Free plan's CPU limit. What the action needs travels with
 * the work, sealed with KEY_ENCRYPTION_SECRET and bound to the member's
 * session; a new password travels only as its chain's derived value.
 */

/** How long a check may take between its steps. */
const STEP_LIFETIME_MS = 2 * 60 * 1000;
const SEAL_INFO = "tern password check in progress";

interface PasswordWork<A> {
	/** Whose password is checked; null when there is nothing to check (only a new password to hash). */
	userId: string | null;
	binding: string;
	expiresAt: number;
	/** Requests so far: the web layer breaks the chain of redirects before browsers give up on it. */
	steps: number;
	/** The current password's chain, until it is checked; null once it was. */
	check: ChainProgress | null;
	/** A new password's chain, for a password change. */
	next: ChainProgress | null;
	action: A;
}

type SealedWork<A> = Omit<PasswordWork<A>, "check" | "next"> & {
	check: ChainProgressJson | null;
	next: ChainProgressJson | null;
};

export type PasswordStep<A> =
	| { status: "continue"; token: string; steps: number }
	| { status: "wrong" }
	| { status: "expired" }
	| { status: "done"; action: A; newPasswordHash: string | null };

function sealWork<A>(secret: string, work: PasswordWork<A>): Promise<string> {
	return sealJson(secret, SEAL_INFO, {
		...work,
		check: work.check && chainToJson(work.check),
		next: work.next && chainToJson(work.next),
	} satisfies SealedWork<A>);
}

async function openWork<A>(secret: string, token: string): Promise<PasswordWork<A> | undefined> {
	try {
		const parsed = await openJson<SealedWork<A>>(secret, SEAL_INFO, token);
		return {
			...parsed,
			check: parsed.check && chainFromJson(parsed.check),
			next: parsed.next && chainFromJson(parsed.next),
		};
	} catch {
		return undefined;
	}
}

/** One request's share: a link of the check, or once it matched, of the new password's chain. */
async function proceed<A>(db: Db, secret: string, work: PasswordWork<A>): Promise<PasswordStep<A>> {
	let { check, next } = work;
	if (check) {
		check = await advanceChain(check, ITERATIONS_PER_INVOCATION);
		if (chainFinished(check)) {
			// Read again: a password changed meanwhile is the one that counts.
			const [row] = work.userId ? await db.select().from(users).where(eq(users.id, work.userId)).limit(1) : [];
			if (!row || !chainMatches(check, parseStoredPassword(row.passwordHash ?? ""))) return { status: "wrong" };
			check = null;
		}
	} else if (next) {
		next = await advanceChain(next, ITERATIONS_PER_INVOCATION);
	}
	if (check || (next && !chainFinished(next))) {
		const steps = work.steps + 1;
		return { status: "continue", steps, token: await sealWork(secret, { ...work, steps, check, next }) };
	}
	return { status: "done", action: work.action, newPasswordHash: next ? chainHash(next) : null };
}

/** New work (a new password, if any, starts its chain here); its first step runs in this request. */
async function begin<A>(
	db: Db,
	secret: string,
	input: { userId: string | null; binding: string; check: ChainProgress | null; newPassword?: string; action: A },
	now: number,
): Promise<PasswordStep<A>> {
	const { newPassword, ...rest } = input;
	const next = newPassword === undefined ? null : await startChain(newPassword);
	return proceed(db, secret, { ...rest, expiresAt: now + STEP_LIFETIME_MS, steps: 0, next });
}

/**
 * Starts checking `password` against the member's stored one before `action`,
 * hashing `newPassword` too when given (refused at once if it is not a usable
 * password). A stored hash of the old single-call format is checked here in
 * one go; a hash cheap enough finishes in this request.
 */
export async function startPasswordCheck<A>(
	db: Db,
	secret: string,
	input: {
		user: { id: string; passwordHash: string | null };
		password: string;
		newPassword?: string;
		binding: string;
		action: A;
	},
	now = Date.now(),
): Promise<PasswordStep<A>> {
	if (input.newPassword !== undefined) newPasswordUsable(input.newPassword);
	const stored = parseStoredPassword(input.user.passwordHash ?? "");
	let check: ChainProgress | null = null;
	if (stored.kind === "unknown" || !input.password) return { status: "wrong" };
	if (stored.kind === "legacy") {
		if (!(await verifyLegacy(input.password, stored))) return { status: "wrong" };
	} else {
		check = await startChain(input.password, stored.cost, stored.salt);
	}
	const { binding, newPassword, action } = input;
	return begin(db, secret, { userId: input.user.id, binding, check, newPassword, action }, now);
}

/** The next step of a check; a forged, expired or foreign token (another session's) ends it. */
export async function continuePasswordCheck<A>(
	db: Db,
	secret: string,
	token: string,
	binding: string,
	now = Date.now(),
): Promise<PasswordStep<A>> {
	const work = await openWork<A>(secret, token);
	if (!work || work.binding !== binding || now > work.expiresAt) return { status: "expired" };
	return proceed(db, secret, work);
}

/** A new password hashed over requests with nothing to check first (a reset link or a sign-up: the token or the form is the proof). */
export async function startPasswordHash<A>(
	db: Db,
	secret: string,
	input: { newPassword: string; binding: string; action: A },
	now = Date.now(),
): Promise<PasswordStep<A>> {
	newPasswordUsable(input.newPassword);
	return begin(db, secret, { ...input, userId: null, check: null }, now);
}

function newPasswordUsable(password: string): void {
	const problem = passwordProblem(password);
	if (problem) throw new ValidationError("password", problem);
}
