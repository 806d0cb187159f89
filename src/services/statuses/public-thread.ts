import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, type Status, statuses } from "../../db/schema";
import { threadIds } from "./thread";

export interface PublicPost {
	status: Status;
	author: Account;
}

/**
 * A local post anyone may read (public or unlisted, not a boost, author not
 * suspended), found by its author's name and id as in its web address.
 */
export async function findPublicLocalPost(db: Db, username: string, id: string): Promise<PublicPost | undefined> {
	const rows = await db
		.select({ status: statuses, author: accounts })
		.from(statuses)
		.innerJoin(accounts, eq(accounts.id, statuses.accountId))
		.where(and(eq(statuses.id, id), eq(statuses.local, true), isNull(statuses.deletedAt)))
		.limit(1);
	const row = rows[0];
	if (!row || row.author.username.toLowerCase() !== username.toLowerCase() || row.author.suspendedAt) return undefined;
	if (row.status.reblogOfId) return undefined;
	if (row.status.visibility !== "public" && row.status.visibility !== "unlisted") return undefined;
	return row;
}

/** Most replies a post's page lists below it; the rest are a click away in an app. */
export const PUBLIC_THREAD_DESCENDANTS = 60;

/**
 * The ids around a post on its page: ancestors oldest first, then replies in
 * thread order. Which of them an anonymous visitor may see is decided when
 * they are loaded (public and unlisted only).
 */
export async function publicThreadIds(db: Db, status: Status): Promise<{ ancestors: string[]; descendants: string[] }> {
	const ids = await threadIds(db, status);
	return { ancestors: ids.ancestors, descendants: ids.descendants.slice(0, PUBLIC_THREAD_DESCENDANTS) };
}
