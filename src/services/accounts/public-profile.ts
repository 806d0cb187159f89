import { and, asc, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accountDeletions, accounts } from "../../db/schema";
import { accountStatuses } from "../timelines/account-statuses";

/** Posts per page of a public profile, as Mastodon's web profile shows them. */
export const PROFILE_PAGE_SIZE = 20;

/** What a public profile address leads to: an account, or why one that exists has no page. */
export type PublicAccount = { account: Account } | { unavailable: "suspended" | "deleted" };

/**
 * The account a public profile page shows: a local account by name, or a
 * remote one Tern already knows by `name@domain`. The instance actor has no
 * page; a suspended account has none while suspended, and one deleted by its
 * owner has none for good (Mastodon answers 403 and 410 for these).
 */
export async function findPublicAccount(
	db: Db,
	username: string,
	domain: string | null,
): Promise<PublicAccount | undefined> {
	const key = `${username.toLowerCase()}@${domain?.toLowerCase() ?? ""}`;
	const rows = await db
		.select({ account: accounts, deletion: accountDeletions.accountId })
		.from(accounts)
		.leftJoin(accountDeletions, eq(accountDeletions.accountId, accounts.id))
		.where(eq(accounts.acctKey, key))
		.limit(1);
	const row = rows[0];
	if (!row || row.account.actorType === "Application") return undefined;
	if (row.deletion) return { unavailable: "deleted" };
	if (row.account.suspendedAt) return { unavailable: "suspended" };
	return { account: row.account };
}

export interface ProfilePostIds {
	/** Pinned posts, on the first page only. */
	pinned: string[];
	/** Public and unlisted posts and boosts, newest first, replies to others left out. */
	recent: string[];
	/** Where the next (older) page starts, when there may be one. */
	nextMaxId: string | undefined;
}

/** The ids a profile page shows: two queries side by side. */
export async function profilePostIds(db: Db, account: Account, maxId: string | undefined): Promise<ProfilePostIds> {
	const [pinned, recent] = await Promise.all([
		maxId ? undefined : accountStatuses(db, account.id, null, { pinned: true }, { limit: 5 }),
		accountStatuses(db, account.id, null, { excludeReplies: true }, { maxId, limit: PROFILE_PAGE_SIZE }),
	]);
	const pinnedIds = pinned?.statusIds ?? [];
	const recentIds = recent.statusIds.filter((id) => !pinnedIds.includes(id));
	return {
		pinned: pinnedIds,
		recent: recentIds,
		nextMaxId: recent.statusIds.length === PROFILE_PAGE_SIZE ? recent.statusIds.at(-1) : undefined,
	};
}

/** Local members who asked search engines to leave them out: robots.txt lists their pages. */
export async function noindexUsernames(db: Db): Promise<string[]> {
	const rows = await db
		.select({ username: accounts.username })
		.from(accounts)
		.where(and(isNull(accounts.domain), eq(accounts.noindex, true), ne(accounts.actorType, "Application")))
		.orderBy(asc(accounts.username));
	return rows.map((row) => row.username);
}

/** Whether search engines may index an account's pages: remote accounts follow their own server's robots rules. */
export function searchEnginesAllowed(account: Account): boolean {
	return account.domain !== null || !account.noindex;
}

/** Where a moved account went: the new account's profile address (its actor id when it has none). */
export async function movedToAddress(db: Db, accountId: string): Promise<string | null> {
	const rows = await db
		.select({ url: accounts.url, uri: accounts.uri })
		.from(accounts)
		.where(eq(accounts.id, accountId))
		.limit(1);
	return rows[0] ? (rows[0].url ?? rows[0].uri) : null;
}
