import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type TrendKind, trendHidden, trendScores } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { normalizeTag } from "../../lib/text/status-text";

/**
 * What an admin keeps out of trends, as Mastodon's review lets them reject a
 * tag or link: it keeps being counted but never ranks. The CLI and the admin
 * console call these.
 */

/** The stored key of a tag (`#Name` or `name`) or link (its URL without fragment). */
export function trendKey(kind: "tag" | "link", value: string): string {
	if (kind === "tag") {
		const name = normalizeTag(value.trim().replace(/^#/, ""));
		if (!name) throw new ValidationError("name", "Tag name can't be blank");
		return name;
	}
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw new ValidationError("url", "Not a URL");
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") throw new ValidationError("url", "Not a web address");
	url.hash = "";
	return url.href;
}

export async function hideTrend(db: Db, kind: "tag" | "link", value: string, now = new Date()): Promise<string> {
	const key = trendKey(kind, value);
	await db.batch([
		db.insert(trendHidden).values({ kind, key, createdAt: now }).onConflictDoNothing(),
		db
			.update(trendScores)
			.set({ score: 0 })
			.where(and(eq(trendScores.kind, kind), eq(trendScores.key, key))),
	]);
	return key;
}

/** Lets it trend again from the next refresh; false when it was not hidden. */
export async function unhideTrend(db: Db, kind: "tag" | "link", value: string): Promise<boolean> {
	const key = trendKey(kind, value);
	const removed = await db
		.delete(trendHidden)
		.where(and(eq(trendHidden.kind, kind), eq(trendHidden.key, key)))
		.returning({ key: trendHidden.key });
	return removed.length > 0;
}

export async function hiddenTrends(db: Db): Promise<{ kind: TrendKind; key: string; createdAt: Date }[]> {
	return db.select().from(trendHidden).orderBy(asc(trendHidden.kind), asc(trendHidden.key));
}
