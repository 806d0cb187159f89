import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, type User, users } from "../../db/schema";
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
	PASSWORD_COST,
	parseStoredPassword,
	startChain,
	verifyLegacy,
	verifyPassword,
} from "../../lib/crypto/password";
import { openJson, sealJson } from "../../lib/crypto/secret-box";

export interface SignInResult {
	user: User;
	account: Account;
}

/** How long a sign-in in progress may take between its steps. */
const STEP_LIFETIME_MS = 2 * 60 * 1000;
const SEAL_INFO = "tern sign-in in progress";

/**
 * What a sign-in carries from one request to the next while its password
 * hash is computed a link at a time (src/lib/crypto/password.ts). Sealed with
 * KEY_ENCRYPTION_SECRET, bound to the browser's form cookie, short-lived.
 * `rehash` is a good sign-in with an old-format hash, computing its
 * replacement; `decoy` is an unknown email, doing the same work to fail alike.
 */
interface SignInWork {
	purpose: "verify" | "rehash" | "decoy";
	userId: string | null;
	email: string;
	returnTo?: string;
	binding: string;
	expiresAt: number;
	progress: ChainProgress;
}

export type SignInStep = { email: string; returnTo?: string } & (
	| { status: "continue"; token: string }
	| { status: "failed" }
	| { status: "signed-in"; result: SignInResult }
);

function sealWork(secret: string, work: SignInWork): Promise<string> {
	return sealJson(secret, SEAL_INFO, { ...work, progress: chainToJson(work.progress) });
}

async function openWork(secret: string, token: string): Promise<SignInWork | undefined> {
	try {
		const parsed = await openJson<SignInWork & { progress: ChainProgressJson }>(secret, SEAL_INFO, token);
		return { ...parsed, progress: chainFromJson(parsed.progress) };
	} catch {
		return undefined;
	}
}

async function findByEmail(db: Db, email: string) {
	const rows = await db
		.select({ user: users, account: accounts })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
		.limit(1);
	return rows[0];
}

async function signedIn(db: Db, userId: string, passwordHash?: string): Promise<SignInResult | undefined> {
	const update: Partial<User> = { lastSignInAt: new Date() };
	if (passwordHash) update.passwordHash = passwordHash;
	await db.update(users).set(update).where(eq(users.id, userId));
	const rows = await db
		.select({ user: users, account: accounts })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(users.id, userId))
		.limit(1);
	return rows[0];
}

/** Runs the next links of a sign-in's chain; finishes it when the last one is done. */
async function proceed(db: Db, secret: string, work: SignInWork, now: number): Promise<SignInStep> {
	const { email, returnTo } = work;
	const progress = await advanceChain(work.progress, ITERATIONS_PER_INVOCATION);
	if (!chainFinished(progress)) {
		return { email, returnTo, status: "continue", token: await sealWork(secret, { ...work, progress }) };
	}
	if (work.purpose === "decoy" || !work.userId) return { email, returnTo, status: "failed" };
	if (work.purpose === "rehash") {
		const result = await signedIn(db, work.userId, chainHash(progress));
		return result ? { email, returnTo, status: "signed-in", result } : { email, returnTo, status: "failed" };
	}
	const [row] = await db.select().from(users).where(eq(users.id, work.userId)).limit(1);
	const stored = parseStoredPassword(row?.passwordHash ?? "");
	if (!row || !chainMatches(progress, stored) || now > work.expiresAt) return { email, returnTo, status: "failed" };
	const result = await signedIn(db, work.userId);
	return result ? { email, returnTo, status: "signed-in", result } : { email, returnTo, status: "failed" };
}

/**
 * Starts checking an email and password for the web sign-in. A password hash
 * is 600,000 PBKDF2 iterations, more than one request may spend on the Free
 * plan, so each request runs one 50,000-iteration link (about 7 ms) and hands
 * the browser a sealed token for the next (`continueSignIn`); a hash cheap
 * enough finishes at once. Hashes of the old format are checked in this first
 * request and, when right, replaced by a chain computed over the following
 * ones. An unknown email does the same work as a wrong password.
 * `binding` is the browser's form cookie: the token is worthless without it.
 */
export async function startSignIn(
	db: Db,
	secret: string,
	input: { email: string; password: string; returnTo?: string; binding: string },
	now = Date.now(),
): Promise<SignInStep> {
	const { email, password, returnTo, binding } = input;
	const base = { userId: null, email, returnTo, binding, expiresAt: now + STEP_LIFETIME_MS };
	const row = await findByEmail(db, email);
	const stored = parseStoredPassword(row?.user.passwordHash ?? "");
	if (!row || stored.kind === "unknown") {
		return proceed(db, secret, { ...base, purpose: "decoy", progress: await startChain(password) }, now);
	}
	if (stored.kind === "legacy") {
		if (!(await verifyLegacy(password, stored))) return { email, returnTo, status: "failed" };
		const progress = await startChain(password);
		return {
			email,
			returnTo,
			status: "continue",
			token: await sealWork(secret, { ...base, userId: row.user.id, purpose: "rehash", progress }),
		};
	}
	const progress = await startChain(password, stored.cost, stored.salt);
	return proceed(db, secret, { ...base, userId: row.user.id, purpose: "verify", progress }, now);
}

/** The next step of a sign-in started by `startSignIn`; an expired, forged or foreign token fails it. */
export async function continueSignIn(db: Db, secret: string, token: string, binding: string, now = Date.now()) {
	const work = await openWork(secret, token);
	if (!work || work.binding !== binding || now > work.expiresAt) {
		return { email: work?.email ?? "", returnTo: work?.returnTo, status: "failed" } satisfies SignInStep;
	}
	return proceed(db, secret, work, now);
}

/**
 * Checks an email and password in one go (600,000 iterations: ~75 ms of CPU),
 * re-hashing a weaker stored hash. For callers that cannot spread the work
 * over requests; the web sign-in uses `startSignIn`.
 */
export async function checkCredentials(db: Db, email: string, password: string): Promise<SignInResult | undefined> {
	const row = await findByEmail(db, email);
	if (!row?.user.passwordHash) {
		await advanceChain(await startChain(password, PASSWORD_COST));
		return undefined;
	}
	const check = await verifyPassword(password, row.user.passwordHash);
	if (!check.ok) return undefined;
	const rehashed = check.needsRehash ? chainHash(await advanceChain(await startChain(password))) : undefined;
	return signedIn(db, row.user.id, rehashed);
}
