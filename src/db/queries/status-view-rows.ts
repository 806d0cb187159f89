import { type AnyColumn, and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";
import { type Account, accounts, type Status, statuses } from "../schema";
import { inIdList } from "./id-list";
import { fromJsonChunks, jsonObjectOf, jsonObjectOfRow, rowFromJson } from "./json-row";

/**
 * Everything a page of statuses needs, as ONE statement returning one row per
 * status (the requested ones and the originals they boost): the status and its
 * author as typed columns, the attached rows as JSON columns, and the viewer's
 * marks and relations as 0/1 columns.
 *
 * Why one statement: D1 counts each statement of a batch as a query, and the
 * budget is 10 per request. Why correlated subqueries rather than one
 * `… where status_id in (ids)` query per table: D1's rows_read counts every
 * element of a `json_each` list and every row a seek lands on, but nothing for
 * a seek that finds nothing, so a per-status subquery reads only what it finds
 * while an `in (ids)` query reads the whole list first. A subquery can also be
 * skipped per row (`case when … then (…) end` is evaluated lazily): polls and
 * applications only for statuses that have one, follows and mentions of the
 * viewer only for private and direct statuses by others, and the viewer's pins,
 * bookmarks, conversation mutes, blocks and mutes only when the viewer has any
 * at all (an uncorrelated probe SQLite evaluates once per statement).
 */
export interface StatusViewRow {
	status: Status;
	account: Account;
	/** JSON array of media attachment objects (MediaJson). */
	media: string;
	/** JSON array of mentioned accounts (MentionJson), silent mentions left out. */
	mentions: string;
	/** JSON array of [tag id, tag name]. */
	tags: string;
	/** JSON object (PollJson) or null. */
	poll: string | null;
	/** JSON array of the viewer's choices in the poll, or null. */
	ownVotes: string | null;
	/** JSON object {name, website} or null. */
	application: string | null;
	favourited: number | null;
	reblogged: number | null;
	bookmarked: number | null;
	pinned: number | null;
	muted: number | null;
	/** The viewer follows the author (only looked up for private statuses by others). */
	followsAuthor: number | null;
	/** The status mentions the viewer (only looked up for private and direct statuses by others). */
	mentionsViewer: number | null;
	authorBlocksViewer: number | null;
	/** The viewer blocks the author, mutes them (mute not expired) or blocked their server. */
	viewerHidesAuthor: number | null;
}

export interface MediaJson {
	id: string;
	accountId: string;
	statusId: string | null;
	type: string;
	fileKey: string | null;
	thumbnailKey: string | null;
	remoteUrl: string | null;
	contentType: string | null;
	fileSize: number | null;
	width: number | null;
	height: number | null;
	blurhash: string | null;
	processing: number;
	description: string | null;
	focusX: number | null;
	focusY: number | null;
	createdAt: number;
}

export interface MentionJson {
	id: string;
	username: string;
	domain: string | null;
	url: string | null;
	uri: string;
}

export interface PollJson {
	id: string;
	statusId: string;
	accountId: string;
	options: { title: string; votesCount: number }[];
	multiple: number;
	hideTotals: number;
	votesCount: number;
	votersCount: number | null;
	expiresAt: number | null;
	createdAt: number;
	updatedAt: number;
}

// Columns are written as `${s.id}`, which Drizzle qualifies ("statuses"."id",
// "o"."id") because the select joins several tables; the subqueries alias their
// own tables so those names always mean the outer row.
/** The columns the subqueries correlate on; `statuses` and its alias both have them. */
type StatusTable = Record<"id" | "accountId" | "visibility" | "conversationId" | "pollId" | "applicationId", AnyColumn>;

/** The media columns packed for `MediaJson`, read through the alias `m`. */
const MEDIA_JSON_PAIRS = (
	[
		["id", "id"],
		["accountId", "account_id"],
		["statusId", "status_id"],
		["type", "type"],
		["fileKey", "file_key"],
		["thumbnailKey", "thumbnail_key"],
		["remoteUrl", "remote_url"],
		["contentType", "content_type"],
		["fileSize", "file_size"],
		["width", "width"],
		["height", "height"],
		["blurhash", "blurhash"],
		["processing", "processing"],
		["description", "description"],
		["focusX", "focus_x"],
		["focusY", "focus_y"],
		["createdAt", "created_at"],
	] as const
).map(([key, column]) => [key, sql.raw(`m.${column}`)] as const);

/** What is attached to the status `s`: the same for every viewer. */
function attachedColumns(s: StatusTable) {
	return {
		media: sql<string>`(select json_group_array(${jsonObjectOf(MEDIA_JSON_PAIRS)})
			from media_attachments m where m.status_id = ${s.id})`,
		mentions: sql<string>`(select json_group_array(json_object(
			'id', ma.id, 'username', ma.username, 'domain', ma.domain, 'url', ma.url, 'uri', ma.uri))
			from mentions mn join accounts ma on ma.id = mn.account_id
			where mn.status_id = ${s.id} and mn.silent = 0)`,
		tags: sql<string>`(select json_group_array(json_array(st.tag_id, tg.name))
			from status_tags st join tags tg on tg.id = st.tag_id where st.status_id = ${s.id})`,
		poll: sql<string | null>`case when ${s.pollId} is not null then (select json_object(
			'id', p.id, 'statusId', p.status_id, 'accountId', p.account_id, 'options', json(p.options),
			'multiple', p.multiple, 'hideTotals', p.hide_totals, 'votesCount', p.votes_count,
			'votersCount', p.voters_count, 'expiresAt', p.expires_at, 'createdAt', p.created_at,
			'updatedAt', p.updated_at) from polls p where p.id = ${s.pollId}) end`,
		application: sql<string | null>`case when ${s.applicationId} is not null then (select json_object(
			'name', app.name, 'website', app.website) from oauth_applications app where app.id = ${s.applicationId}) end`,
	};
}

/** `probe` is an uncorrelated "does the viewer have any such rows" check: evaluated once per statement. */
function ifAny(probe: SQL, check: SQL): SQL<number> {
	return sql<number>`case when (${probe}) is not null then ${check} else 0 end`;
}

function viewerColumns(s: StatusTable, viewer: string, now: number) {
	const others = sql`${s.accountId} <> ${viewer}`;
	return {
		ownVotes: sql<string | null>`case when ${s.pollId} is not null then (select json_group_array(pv.choice)
			from poll_votes pv where pv.poll_id = ${s.pollId} and pv.account_id = ${viewer}) end`,
		favourited: sql<number>`exists(select 1 from favourites f where f.account_id = ${viewer} and f.status_id = ${s.id})`,
		reblogged: sql<number>`exists(select 1 from statuses rb where rb.account_id = ${viewer}
			and rb.reblog_of_id = ${s.id} and rb.deleted_at is null)`,
		bookmarked: ifAny(
			sql`select 1 from bookmarks where account_id = ${viewer} limit 1`,
			sql`exists(select 1 from bookmarks b where b.account_id = ${viewer} and b.status_id = ${s.id})`,
		),
		pinned: ifAny(
			sql`select 1 from status_pins where account_id = ${viewer} limit 1`,
			sql`exists(select 1 from status_pins sp where sp.account_id = ${viewer} and sp.status_id = ${s.id})`,
		),
		muted: ifAny(
			sql`select 1 from conversation_mutes where account_id = ${viewer} limit 1`,
			sql`exists(select 1 from conversation_mutes cm where cm.account_id = ${viewer}
				and cm.conversation_id = coalesce(${s.conversationId}, ${s.id}))`,
		),
		followsAuthor: sql<number>`case when ${s.visibility} = 'private' and ${others} then exists(select 1 from follows fo
			where fo.account_id = ${viewer} and fo.target_account_id = ${s.accountId}) else 0 end`,
		mentionsViewer: sql<number>`case when ${s.visibility} in ('private', 'direct') and ${others} then exists(
			select 1 from mentions mv where mv.status_id = ${s.id} and mv.account_id = ${viewer}) else 0 end`,
		authorBlocksViewer: sql<number>`case when ${others} then ${ifAny(
			sql`select 1 from blocks where target_account_id = ${viewer} limit 1`,
			sql`exists(select 1 from blocks bb where bb.account_id = ${s.accountId} and bb.target_account_id = ${viewer})`,
		)} else 0 end`,
		viewerHidesAuthor: sql<number>`case when ${others} then (${ifAny(
			sql`select 1 from blocks where account_id = ${viewer} limit 1`,
			sql`exists(select 1 from blocks vb where vb.account_id = ${viewer} and vb.target_account_id = ${s.accountId})`,
		)} or ${ifAny(
			sql`select 1 from mutes where account_id = ${viewer} limit 1`,
			sql`exists(select 1 from mutes mu where mu.account_id = ${viewer} and mu.target_account_id = ${s.accountId}
				and (mu.expires_at is null or mu.expires_at > ${now}))`,
		)} or ${ifAny(
			sql`select 1 from account_domain_blocks where account_id = ${viewer} limit 1`,
			sql`exists(select 1 from account_domain_blocks adb where adb.account_id = ${viewer}
				and adb.domain = (select da.domain from accounts da where da.id = ${s.accountId}))`,
		)}) else 0 end`,
	};
}

const NO_VIEWER = {
	ownVotes: sql<null>`null`,
	favourited: sql<null>`null`,
	reblogged: sql<null>`null`,
	bookmarked: sql<null>`null`,
	pinned: sql<null>`null`,
	muted: sql<null>`null`,
	followsAuthor: sql<null>`null`,
	mentionsViewer: sql<null>`null`,
	authorBlocksViewer: sql<null>`null`,
	viewerHidesAuthor: sql<null>`null`,
};

type ExtraColumns = Omit<StatusViewRow, "status" | "account">;

function extraColumns(s: StatusTable, viewerId: string | null, now: number) {
	return { ...attachedColumns(s), ...(viewerId ? viewerColumns(s, viewerId, now) : NO_VIEWER) };
}

/** The extra columns as one JSON object; JSON-valued ones may come back nested, so they are read either way. */
function extraObject(s: StatusTable, viewerId: string | null, now: number): SQL<string> {
	return jsonObjectOf(Object.entries(extraColumns(s, viewerId, now)));
}

const JSON_TEXT_COLUMNS = ["media", "mentions", "tags", "poll", "ownVotes", "application"] as const;

function extraFromJson(packed: unknown): ExtraColumns {
	const extra = { ...fromJsonChunks(packed) };
	for (const key of JSON_TEXT_COLUMNS) {
		const value = extra[key];
		if (value !== null && value !== undefined && typeof value !== "string") extra[key] = JSON.stringify(value);
	}
	return extra as unknown as ExtraColumns;
}

/**
 * Loads `ids` and the originals they boost (deleted ones left out), one row
 * each. A boost's original comes from a left join on the boost's own row,
 * packed into one JSON column (D1 returns at most 100 columns), rather than
 * from a second `id in (select reblog_of_id …)` pass, which walked the id list
 * and read every page status a second time.
 */
export async function loadStatusViewRows(
	db: Db,
	viewerId: string | null,
	ids: readonly string[],
	now = Date.now(),
	options: { includeDeleted?: boolean } = {},
): Promise<StatusViewRow[]> {
	const o = alias(statuses, "o");
	const oa = alias(accounts, "oa");
	const rows = await db
		.select({
			status: statuses,
			account: accounts,
			extra: extraColumns(statuses, viewerId, now),
			original: sql<string | null>`case when ${o.id} is not null and ${oa.id} is not null then json_object(
				'status', ${jsonObjectOfRow(statuses, "o")}, 'account', ${jsonObjectOfRow(accounts, "oa")},
				'extra', ${extraObject(o, viewerId, now)}) end`,
		})
		.from(statuses)
		.innerJoin(accounts, eq(accounts.id, statuses.accountId))
		.leftJoin(o, and(eq(o.id, statuses.reblogOfId), isNull(o.deletedAt)))
		.leftJoin(oa, eq(oa.id, o.accountId))
		.where(and(options.includeDeleted ? undefined : isNull(statuses.deletedAt), inIdList(statuses.id, ids)));
	const result: StatusViewRow[] = [];
	for (const row of rows) {
		result.push({ status: row.status, account: row.account, ...row.extra });
		if (row.original) {
			const json = JSON.parse(row.original) as Record<string, unknown>;
			result.push({
				status: rowFromJson<Status>(statuses, json.status),
				account: rowFromJson<Account>(accounts, json.account),
				...extraFromJson(json.extra),
			});
		}
	}
	return result;
}
