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
import { open, seal } from "../../lib/crypto/secret-box";
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
	userId: string;
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

export type PasswordStep<A> =
	| { status: "continue"; token: string; steps: number }
	| { status: "wrong" }
	| { status: "expired" }
	| { status: "done"; action: A; newPasswordHash: string | null };

async function sealWork<A>(secret: string, work: PasswordWork<A>): Promise<string> {
	const json = JSON.stringify({
		...work,
		check: work.check && chainToJson(work.check),
		next: work.next && chainToJson(work.next),
	});
	return seal(secret, SEAL_INFO, new Uint8Array(new TextEncoder().encode(json)));
}

async function openWork<A>(secret: string, token: string): Promise<PasswordWork<A> | undefined> {
	try {
		const parsed = JSON.parse(new TextDecoder().decode(await open(secret, SEAL_INFO, token))) as Omit<
			PasswordWork<A>,
			"check" | "next"
		> & { check: ChainProgressJson | null; next: ChainProgressJson | null };
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
async function proceed<A>(db: Db, secret: string, work: PasswordWork<A>, now: number): Promise<PasswordStep<A>> {
	let { check, next } = work;
	if (check) {
		check = await advanceChain(check, ITERATIONS_PER_INVOCATION);
		if (chainFinished(check)) {
			// Read again: a password changed meanwhile is the one that counts.
			const [row] = await db.select().from(users).where(eq(users.id, work.userId)).limit(1);
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
	if (now > work.expiresAt) return { status: "expired" };
	return { status: "done", action: work.action, newPasswordHash: next ? chainHash(next) : null };
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
	if (input.newPassword !== undefined) {
		const problem = passwordProblem(input.newPassword);
		if (problem) throw new ValidationError("password", problem);
	}
	const stored = parseStoredPassword(input.user.passwordHash ?? "");
	let check: ChainProgress | null = null;
	if (stored.kind === "unknown" || !input.password) return { status: "wrong" };
	if (stored.kind === "legacy") {
		if (!(await verifyLegacy(input.password, stored))) return { status: "wrong" };
	} else {
		check = await startChain(input.password, stored.cost, stored.salt);
	}
	const next = input.newPassword === undefined ? null : await startChain(input.newPassword);
	const work: PasswordWork<A> = {
		userId: input.user.id,
		binding: input.binding,
		expiresAt: now + STEP_LIFETIME_MS,
		steps: 0,
		check,
		next,
		action: input.action,
	};
	return proceed(db, secret, work, now);
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
	return proceed(db, secret, work, now);
}

/** A new password hashed over requests with nothing to check first (a reset link, whose token is the proof). */
export async function startPasswordHash<A>(
	db: Db,
	secret: string,
	input: { newPassword: string; binding: string; action: A },
	now = Date.now(),
): Promise<PasswordStep<A>> {
	const problem = passwordProblem(input.newPassword);
	if (problem) throw new ValidationError("password", problem);
	const work: PasswordWork<A> = {
		userId: "",
		binding: input.binding,
		expiresAt: now + STEP_LIFETIME_MS,
		steps: 0,
		check: null,
		next: await startChain(input.newPassword),
		action: input.action,
	};
	return proceed(db, secret, work, now);
}
