import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { type Account, accounts, blocks, followRequests, follows, mutes } from "../../db/schema";

export interface AccountPageRow {
	/** The relation row's id: what `max_id`/`min_id` page over. */
	pageId: string;
	account: Account;
}

type RelationTable = typeof follows | typeof followRequests | typeof blocks | typeof mutes;

/**
 * A page of accounts related to `accountId` through `table`: `outgoing`
 * lists the targets (following, blocks, mutes), `incoming` the sources
 * (followers, follow requests). Suspended accounts are left out.
 */
async function relationPage(
	db: Db,
	table: RelationTable,
	direction: "outgoing" | "incoming",
	accountId: string,
	query: PageQuery,
	extra?: ReturnType<typeof and>,
): Promise<AccountPageRow[]> {
	const [mine, theirs] =
		direction === "outgoing" ? [table.accountId, table.targetAccountId] : [table.targetAccountId, table.accountId];
	const window = pageWindow(table.id, query);
	const rows = await db
		.select({ pageId: table.id, account: accounts })
		.from(table)
		.innerJoin(accounts, eq(accounts.id, theirs))
		.where(and(eq(mine, accountId), isNull(accounts.suspendedAt), extra, ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	return newestFirst(rows, query);
}

export const followersPage = (db: Db, accountId: string, query: PageQuery) =>
	relationPage(db, follows, "incoming", accountId, query);
export const followingPage = (db: Db, accountId: string, query: PageQuery) =>
	relationPage(db, follows, "outgoing", accountId, query);
export const followRequestsPage = (db: Db, accountId: string, query: PageQuery) =>
	relationPage(db, followRequests, "incoming", accountId, query);
export const blocksPage = (db: Db, accountId: string, query: PageQuery) =>
	relationPage(db, blocks, "outgoing", accountId, query);
export const mutesPage = (db: Db, accountId: string, query: PageQuery) =>
	relationPage(
		db,
		mutes,
		"outgoing",
		accountId,
		query,
		and(or(isNull(mutes.expiresAt), gt(mutes.expiresAt, new Date()))),
	);

/** Whether `owner`'s follower and following lists are hidden from `viewerId` (hidden by choice, or a block). */
export async function collectionsHiddenFrom(db: Db, owner: Account, viewerId: string | null): Promise<boolean> {
	if (viewerId === owner.id) return false;
	if (owner.hideCollections) return true;
	if (!viewerId) return false;
	const blocked = await db
		.select({ id: blocks.id })
		.from(blocks)
		.where(and(eq(blocks.accountId, owner.id), eq(blocks.targetAccountId, viewerId)))
		.limit(1);
	return blocked.length > 0;
}
