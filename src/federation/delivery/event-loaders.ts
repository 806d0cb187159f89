import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, mentions, type Status, statuses } from "../../db/schema";

/** Accounts by id, in one query. */
export async function loadAccounts(db: Db, ids: string[]): Promise<Map<string, Account>> {
	const rows = await db
		.select()
		.from(accounts)
		.where(inArray(accounts.id, ids.length > 0 ? ids : [""]));
	return new Map(rows.map((row) => [row.id, row]));
}

/** A status (deleted ones too: a Delete still needs its audience) with its author. */
export async function loadStatusWithAuthor(db: Db, id: string): Promise<{ status: Status; author: Account } | null> {
	const rows = await db
		.select({ status: statuses, author: accounts })
		.from(statuses)
		.innerJoin(accounts, eq(accounts.id, statuses.accountId))
		.where(eq(statuses.id, id))
		.limit(1);
	return rows[0] ?? null;
}

/** Accounts mentioned by a status: they get its Create, Update and Delete besides the followers. */
export async function mentionedAccountIds(db: Db, statusId: string): Promise<string[]> {
	const rows = await db.select({ id: mentions.accountId }).from(mentions).where(eq(mentions.statusId, statusId));
	return rows.map((row) => row.id);
}
