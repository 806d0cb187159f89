import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll } from "../../db/queries/raw";
import { type Account, accounts, suggestionDismissals } from "../../db/schema";
import { discoverableAccount, notFollowedOrDismissed } from "./candidates";

/** Why an account is suggested, in Mastodon's words (Suggestion `sources`). */
export type SuggestionSource = "friends_of_friends" | "most_followed";

export interface Suggestion {
	account: Account;
	sources: SuggestionSource[];
}

/** How recently a local account must have posted to be suggested as active. */
const ACTIVE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Accounts to follow, as Mastodon's AccountSuggestions combines its sources:
 * first those followed by the most of the people the viewer follows (whose
 * own follows are not hidden), then this server's most followed accounts
 * that posted in the last month; never one the viewer follows, asked to
 * follow, blocks, mutes, is blocked by or dismissed.
 */
export async function suggestionsFor(db: Db, viewerId: string, limit: number, now = Date.now()): Promise<Suggestion[]> {
	const candidate = sql`${discoverableAccount(viewerId, now)} and ${notFollowedOrDismissed(viewerId)}`;
	const [friendsOfFriends, active] = await db.batch([
		sqlAll<{ id: string }>(
			db,
			sql`
			select a.id, count(*) as frequency from follows f1
			join accounts fof on fof.id = f1.target_account_id and fof.hide_collections = 0
			join follows f2 on f2.account_id = f1.target_account_id
			join accounts a on a.id = f2.target_account_id
			where f1.account_id = ${viewerId} and ${candidate}
			group by a.id order by frequency desc, a.followers_count desc, a.id limit ${limit}`,
		),
		sqlAll<{ id: string }>(
			db,
			sql`
			select a.id from accounts a
			where a.domain is null and a.last_status_at > ${now - ACTIVE_MS} and ${candidate}
			order by a.followers_count desc, a.last_status_at desc limit ${limit}`,
		),
	]);
	const ordered: { id: string; sources: SuggestionSource[] }[] = friendsOfFriends.map((row) => ({
		id: row.id,
		sources: ["friends_of_friends"],
	}));
	for (const row of active) {
		const known = ordered.find((entry) => entry.id === row.id);
		if (known) known.sources.push("most_followed");
		else ordered.push({ id: row.id, sources: ["most_followed"] });
	}
	const picked = ordered.slice(0, limit);
	if (picked.length === 0) return [];
	const rows = await db
		.select()
		.from(accounts)
		.where(sql`${accounts.id} in (select value from json_each(${JSON.stringify(picked.map((p) => p.id))}))`);
	return picked.flatMap((entry) => {
		const account = rows.find((row) => row.id === entry.id);
		return account ? [{ account, sources: entry.sources }] : [];
	});
}

/** The viewer asks not to be suggested `targetId` again; repeating it changes nothing. */
export async function dismissSuggestion(db: Db, viewerId: string, targetId: string): Promise<void> {
	await db
		.insert(suggestionDismissals)
		.values({ accountId: viewerId, targetAccountId: targetId, createdAt: new Date() })
		.onConflictDoNothing();
}
