import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts } from "../../db/schema";
import { discoverableAccount } from "../suggestions/candidates";

export interface DirectoryQuery {
	viewerId: string | null;
	/** Only this server's accounts. */
	local: boolean;
	/** `active`: latest post first (Mastodon's default); `new`: newest profile first. */
	order: "active" | "new";
	offset: number;
	limit: number;
}

/** The profile directory: discoverable accounts (see discoverableAccount), ordered as Mastodon's DirectoriesController does. */
export async function directoryPage(db: Db, query: DirectoryQuery): Promise<Account[]> {
	const order =
		query.order === "new" ? sql`a.id desc` : sql`a.last_status_at is null, a.last_status_at desc, a.id desc`;
	const rows = await db.all<{ id: string }>(sql`
		select a.id from accounts a where ${discoverableAccount(query.viewerId)}
		${query.local ? sql`and a.domain is null` : sql``}
		order by ${order} limit ${query.limit} offset ${query.offset}`);
	if (rows.length === 0) return [];
	const found = await db
		.select()
		.from(accounts)
		.where(sql`${accounts.id} in (select value from json_each(${JSON.stringify(rows.map((r) => r.id))}))`);
	return rows.flatMap((row) => found.find((account) => account.id === row.id) ?? []);
}
