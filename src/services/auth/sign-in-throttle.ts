import { and, count, eq, gt, inArray, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { signInFailures } from "../../db/schema";
import { sha256Hex } from "../../lib/crypto/digest";
import { newId } from "../../lib/ids";

export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed per email, and per address, within the window. */
export const MAX_FAILURES = 10;

async function keys(email: string, address: string | null): Promise<string[]> {
	const list = [await sha256Hex(`email:${email.trim().toLowerCase()}`)];
	if (address) list.push(await sha256Hex(`ip:${address}`));
	return list;
}

/** Whether this email or address has failed too often lately; checked before any password work. */
export async function signInThrottled(db: Db, email: string, address: string | null, now = new Date()) {
	const since = new Date(now.getTime() - FAILURE_WINDOW_MS);
	const rows = await db
		.select({ key: signInFailures.key, failures: count() })
		.from(signInFailures)
		.where(and(inArray(signInFailures.key, await keys(email, address)), gt(signInFailures.createdAt, since)))
		.groupBy(signInFailures.key);
	return rows.some((row) => row.failures >= MAX_FAILURES);
}

export async function recordSignInFailure(db: Db, email: string, address: string | null, now = new Date()) {
	const since = new Date(now.getTime() - FAILURE_WINDOW_MS);
	const list = await keys(email, address);
	await db.batch([
		db.insert(signInFailures).values(list.map((key) => ({ id: newId(now), key, createdAt: now }))),
		// Old failures no longer count; drop them as new ones arrive.
		db.delete(signInFailures).where(lt(signInFailures.createdAt, since)),
	]);
}

export async function clearSignInFailures(db: Db, email: string) {
	const [emailKey] = await keys(email, null);
	if (emailKey) await db.delete(signInFailures).where(eq(signInFailures.key, emailKey));
}
