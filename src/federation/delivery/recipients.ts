import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

/** Who gets an activity. Inboxes are deduplicated, and hosts marked unavailable are left out. */
export interface Audience {
	/** Remote followers of this account, through their shared inboxes where they have one. */
	followersOf?: string;
	/** Remote accounts addressed directly (mentions, the booster's target…), shared inbox preferred. */
	accountIds?: string[];
	/** Remote accounts that get the activity in their personal inbox (Follow, Block, Accept…), as Mastodon sends them. */
	personalInboxOf?: string[];
	/** Every remote inbox this instance knows (an actor's Delete, as Mastodon sends it). */
	allKnownInboxes?: boolean;
}

/**
 * The distinct inbox URLs of an audience, in one query: followers on 200
 * hosts with shared inboxes make about 200 rows however many they are.
 */
export async function resolveInboxes(db: Db, audience: Audience): Promise<string[]> {
	const parts = [];
	if (audience.followersOf) {
		parts.push(sql`select coalesce(a.shared_inbox_url, a.inbox_url) as inbox, a.domain as domain
			from follows f join accounts a on a.id = f.account_id
			where f.target_account_id = ${audience.followersOf} and a.domain is not null`);
	}
	if (audience.accountIds?.length) {
		parts.push(sql`select coalesce(a.shared_inbox_url, a.inbox_url) as inbox, a.domain as domain from accounts a
			where a.id in (select value from json_each(${JSON.stringify(audience.accountIds)})) and a.domain is not null`);
	}
	if (audience.personalInboxOf?.length) {
		parts.push(sql`select coalesce(a.inbox_url, a.shared_inbox_url) as inbox, a.domain as domain from accounts a
			where a.id in (select value from json_each(${JSON.stringify(audience.personalInboxOf)})) and a.domain is not null`);
	}
	if (audience.allKnownInboxes) {
		parts.push(sql`select coalesce(a.shared_inbox_url, a.inbox_url) as inbox, a.domain as domain from accounts a
			where a.domain is not null`);
	}
	if (parts.length === 0) return [];
	const union = sql.join(parts, sql` union `);
	const rows = await db.all<{ inbox: string }>(sql`select distinct inbox from (${union}) r
		where inbox is not null and not exists (select 1 from domain_delivery_status d
			where d.domain = r.domain and d.unavailable_since is not null)`);
	return rows.map((row) => row.inbox);
}
