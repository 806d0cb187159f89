import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { pageVersions } from "../../db/schema";

/** A slice of public content whose counter triggers raise when it changes (see the page_versions migration). */
export type PageScope = "settings" | "posts" | `account:${string}`;

/** The scope of one account's public pages, by its case-insensitive acct key (`name@` for local accounts). */
export function accountScope(username: string, domain: string | null): PageScope {
	return `account:${username.toLowerCase()}@${domain?.toLowerCase() ?? ""}`;
}

/**
 * The counters of `scopes` as one string (`0` for a scope never changed):
 * part of the edge-cache key and the ETag of a public page. One query.
 */
export async function readPageVersions(db: Db, scopes: readonly PageScope[]): Promise<string> {
	const rows = await db
		.select({ scope: pageVersions.scope, version: pageVersions.version })
		.from(pageVersions)
		.where(inArray(pageVersions.scope, [...scopes]));
	const byScope = new Map(rows.map((row) => [row.scope, row.version]));
	return scopes.map((scope) => byScope.get(scope) ?? 0).join(".");
}
