import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll } from "../../db/queries/raw";

/**
 * Who is listening, asked inside the statements that already write what an
 * event is about, so knowing costs no extra round trip: a home-feed insert
 * returns, per row written, whether its account has a home or list stream
 * open; a notification or conversation insert, whether its recipient has the
 * matching stream open (see stream_subscriptions).
 */

/** `stream` values of list streams sort between these two (`list:<id>`). */
const LIST_FROM = "list:";
const LIST_TO = "list;";

/** For a RETURNING clause of a home_feed insert: 1 when the row's account has its home or a list stream open. */
export const LIVE_FEED_COLUMN = sql.raw(`exists (select 1 from stream_subscriptions ss
	where ss.account_id = home_feed.account_id
	and (ss.stream = 'user' or (ss.stream > '${LIST_FROM}' and ss.stream < '${LIST_TO}'))) as live`);

/** For a RETURNING clause of a notifications insert: 1 when the recipient streams notifications. */
export const LIVE_NOTIFICATION_COLUMN = sql.raw(`exists (select 1 from stream_subscriptions ss
	where ss.account_id = notifications.account_id and ss.stream in ('user', 'user:notification')) as live`);

/** For a RETURNING clause of an account_conversations insert: 1 when the participant streams direct messages. */
export const LIVE_CONVERSATION_COLUMN = sql.raw(`exists (select 1 from stream_subscriptions ss
	where ss.account_id = account_conversations.account_id and ss.stream = 'direct') as live`);

/** What a home-feed insert marked with `feedInsert` returns per row written. */
export interface FeedRow {
	account_id: string;
	live: number;
}

/** A live account with an entry (the status or a boost of it) in its home feed. */
export interface FeedEntryRow {
	account_id: string;
	status_id: string;
	author_id: string;
}

export interface PublicAudienceRow {
	account_id: string;
	stream: string;
}

interface Marked {
	feed: FeedRow;
	entries: FeedEntryRow;
	public: PublicAudienceRow;
}

/** Statements of a batch whose results the streaming publisher reads afterwards, by what they return. */
const marks = new WeakMap<object, keyof Marked>();

function mark<T extends object>(kind: keyof Marked, statement: T): T {
	marks.set(statement, kind);
	return statement;
}

/** After a db.batch: the rows of every statement of that kind, in order. */
export function markedRows<K extends keyof Marked>(
	kind: K,
	statements: readonly object[],
	results: readonly unknown[],
): Marked[K][] {
	const rows: Marked[K][] = [];
	statements.forEach((statement, index) => {
		if (marks.get(statement) === kind) rows.push(...((results[index] as Marked[K][] | undefined) ?? []));
	});
	return rows;
}

/** Marks a home-feed insert (its RETURNING must give FeedRow) so the publisher finds it after the batch. */
export function feedInsert<T extends object>(statement: T): T {
	return mark("feed", statement);
}

/** After a db.batch: the accounts that just got the entry in their home feed and have a stream open. */
export function liveFeedAccounts(statements: readonly object[], results: readonly unknown[]): string[] {
	return [...new Set(markedRows("feed", statements, results).flatMap((row) => (row.live ? [row.account_id] : [])))];
}

/**
 * For a statement list about to be batched: the live accounts that have the
 * status (or a boost of it) in their home feed, each with the entry's id.
 * Put it before the statements that remove the entries. Boosts are found
 * through statuses (home_feed has no index but its primary key), so each
 * entry is a key lookup.
 */
export function liveFeedEntriesQuery(db: Db, statusId: string, withBoosts: boolean) {
	return mark(
		"entries",
		sqlAll<FeedEntryRow>(
			db,
			sql`select h.account_id, h.status_id, h.author_id from home_feed h
		where h.account_id in (select ss.account_id from stream_subscriptions ss
			where ss.stream = 'user' or (ss.stream > ${LIST_FROM} and ss.stream < ${LIST_TO}))
		and h.status_id in (select ${statusId} ${
			withBoosts ? sql`union all select id from statuses where reblog_of_id = ${statusId}` : sql``
		})`,
		),
	);
}

export interface StatusStreamFacts {
	id: string;
	visibility: string;
	local: boolean;
	reblogOfId: string | null;
	inReplyToAccountId: string | null;
	accountId: string;
}

/**
 * The public and hashtag streams a status belongs to, as the public and tag
 * timelines choose (public, not a boost; public streams leave out replies to
 * others; tag streams keep them), joined with who subscribes: one statement
 * for a batch, placed after the status's tags and media are written (or
 * before they are removed). Media and tags are read where they are stored.
 */
export function publicAudienceQuery(db: Db, status: StatusStreamFacts) {
	if (status.visibility !== "public" || status.reblogOfId) return null;
	const replyToOthers = status.inReplyToAccountId !== null && status.inReplyToAccountId !== status.accountId;
	const origin = status.local ? "local" : "remote";
	const base = replyToOthers ? [] : ["public", `public:${origin}`];
	return mark(
		"public",
		sqlAll<PublicAudienceRow>(
			db,
			sql`with keys(stream) as (
			select value from json_each(${JSON.stringify(base)})
			union all select value || ':media' from json_each(${JSON.stringify(base)})
				where exists (select 1 from media_attachments m where m.status_id = ${status.id})
			union all select 'hashtag:' || t.name from status_tags st join tags t on t.id = st.tag_id
				where st.status_id = ${status.id}
			union all select 'hashtag:local:' || t.name from status_tags st join tags t on t.id = st.tag_id
				where st.status_id = ${status.id} and ${status.local ? 1 : 0} = 1)
		select ss.account_id, ss.stream from stream_subscriptions ss where ss.stream in (select stream from keys)`,
		),
	);
}

/** The accounts with their home stream open: announcements go to all of them. */
export function liveHomeAccountsQuery(db: Db) {
	return sqlAll<{ account_id: string }>(
		db,
		sql`select distinct account_id from stream_subscriptions where stream = 'user'`,
	);
}

/** Which of these accounts have any stream open. */
export function liveAccountsQuery(db: Db, accountIds: readonly string[]) {
	return sqlAll<{ account_id: string }>(
		db,
		sql`select distinct account_id from stream_subscriptions
		where account_id in (select value from json_each(${JSON.stringify([...new Set(accountIds)])}))`,
	);
}
