import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import type { SeveranceType } from "../../db/schema";
import { newId } from "../../lib/ids";

/**
 * Ends the follows between local accounts and a set of remote accounts (a
 * blocked domain, a suspended account), as Mastodon does, and tells each
 * local member what they lost with a `severed_relationships` notification
 * whose event counts the followers and followed accounts removed.
 */
export interface SeveranceInput {
	type: SeveranceType;
	/** The domain, or the suspended account's handle. */
	targetName: string;
	/** Which remote accounts: a condition on the accounts alias `r`. */
	remoteWhere: SQL;
	/** Only this local account's relationships (a member blocking a domain for themselves). */
	localAccountId?: string;
	at?: Date;
	/**
	 * Statements to commit with the severance, from what it severs: the outbox
	 * events telling the remote servers (publishOutboxEvent), so the follows
	 * end here and the promise to tell them commit together.
	 */
	alsoWrite?: (severed: Pick<SeveranceResult, "follows" | "requests">) => BatchItem<"sqlite">[];
}

export interface SeveredFollow {
	accountId: string;
	targetAccountId: string;
	uri: string | null;
	/** The local account was the follower (it followed the remote one). */
	localFollows: boolean;
}

export interface SeveranceResult {
	follows: SeveredFollow[];
	requests: SeveredFollow[];
	/** Local members notified. */
	notified: number;
}

interface Row {
	id: string;
	accountId: string;
	targetAccountId: string;
	uri: string | null;
	localFollows: number;
	handle: string;
}

function relationRows(db: Db, table: "follows" | "follow_requests", input: SeveranceInput) {
	const t = sql.raw(table);
	const local = input.localAccountId ? sql`l.id = ${input.localAccountId}` : sql`1`;
	return sqlAll<Row>(
		db,
		sql`select f.id as id, f.account_id as accountId, f.target_account_id as targetAccountId, f.uri as uri,
			1 as localFollows, r.username || '@' || r.domain as handle
		from ${t} f join accounts l on l.id = f.account_id join accounts r on r.id = f.target_account_id
		where l.domain is null and r.domain is not null and ${local} and ${input.remoteWhere}
		union all
		select f.id, f.account_id, f.target_account_id, f.uri, 0, r.username || '@' || r.domain
		from ${t} f join accounts r on r.id = f.account_id join accounts l on l.id = f.target_account_id
		where l.domain is null and r.domain is not null and ${local} and ${input.remoteWhere}`,
	);
}

const severed = (row: Row): SeveredFollow => ({
	accountId: row.accountId,
	targetAccountId: row.targetAccountId,
	uri: row.uri,
	localFollows: row.localFollows === 1,
});

export async function severRelationships(db: Db, input: SeveranceInput): Promise<SeveranceResult> {
	const at = input.at ?? new Date();
	const [followRows, requestRows] = await db.batch([
		relationRows(db, "follows", input),
		relationRows(db, "follow_requests", input),
	]);
	if (followRows.length === 0 && requestRows.length === 0) return { follows: [], requests: [], notified: 0 };

	// What each local member loses: followers on the far side, and accounts they followed there.
	const perLocal = new Map<string, { followers: string[]; following: string[] }>();
	for (const row of followRows) {
		const localId = row.localFollows === 1 ? row.accountId : row.targetAccountId;
		const entry = perLocal.get(localId) ?? { followers: [], following: [] };
		(row.localFollows === 1 ? entry.following : entry.followers).push(row.handle);
		perLocal.set(localId, entry);
	}
	const events = [...perLocal].map(([accountId, lost]) => ({
		id: newId(at),
		notificationId: newId(at),
		accountId,
		followersCount: lost.followers.length,
		followingCount: lost.following.length,
		followers: lost.followers,
		following: lost.following,
	}));
	const remoteIds = [
		...new Set([...followRows, ...requestRows].map((r) => (r.localFollows === 1 ? r.targetAccountId : r.accountId))),
	];
	const localIds = [...perLocal.keys()];
	const followIds = JSON.stringify(followRows.map((r) => r.id));
	const statements: BatchItem<"sqlite">[] = [
		sqlRun(db, sql`delete from follows where id in (select value from json_each(${followIds}))`),
		sqlRun(
			db,
			sql`delete from follow_requests where id in (select value from json_each(${JSON.stringify(requestRows.map((r) => r.id))}))`,
		),
		// Recounted rather than decremented: exact whatever else changed meanwhile.
		sqlRun(
			db,
			sql`update accounts set
				followers_count = (select count(*) from follows f where f.target_account_id = accounts.id),
				following_count = (select count(*) from follows f where f.account_id = accounts.id)
			where id in (select value from json_each(${JSON.stringify([...localIds, ...remoteIds])}))`,
		),
		sqlRun(
			db,
			sql`delete from home_feed where account_id in (select value from json_each(${JSON.stringify(localIds)}))
			and author_id in (select value from json_each(${JSON.stringify(remoteIds)}))`,
		),
		sqlRun(
			db,
			sql`delete from list_accounts where account_id in (select value from json_each(${JSON.stringify(remoteIds)}))
			and list_id in (select id from lists where account_id in (select value from json_each(${JSON.stringify(localIds)})))`,
		),
		sqlRun(
			db,
			sql`delete from notifications where type = 'follow_request'
			and account_id in (select value from json_each(${JSON.stringify(localIds)}))
			and from_account_id in (select value from json_each(${JSON.stringify(remoteIds)}))`,
		),
	];
	if (events.length > 0) {
		const json = JSON.stringify(events);
		statements.push(
			sqlRun(
				db,
				sql`insert into relationship_severance_events (id, account_id, type, target_name, followers_count,
					following_count, followers, following, created_at)
				select json_extract(value, '$.id'), json_extract(value, '$.accountId'), ${input.type}, ${input.targetName},
					json_extract(value, '$.followersCount'), json_extract(value, '$.followingCount'),
					json_extract(value, '$.followers'), json_extract(value, '$.following'), ${at.getTime()}
				from json_each(${json})`,
			),
			// Mastodon's severance notification comes "from" the member it is about.
			sqlRun(
				db,
				sql`insert into notifications (id, account_id, from_account_id, type, status_id, subject_id, group_key, created_at)
				select json_extract(value, '$.notificationId'), json_extract(value, '$.accountId'),
					json_extract(value, '$.accountId'), 'severed_relationships', null, json_extract(value, '$.id'),
					'ungrouped-' || json_extract(value, '$.notificationId'), ${at.getTime()}
				from json_each(${json})`,
			),
		);
	}
	const result = { follows: followRows.map(severed), requests: requestRows.map(severed) };
	if (input.alsoWrite) statements.push(...input.alsoWrite(result));
	await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
	return { ...result, notified: events.length };
}
