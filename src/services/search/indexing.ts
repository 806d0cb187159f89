import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { buildSearchDocument, hasOutsideLink, htmlToSearchText } from "../../lib/text/search-terms";
import type { Statement } from "../statuses/writes";

/**
 * Keeping the search index in step with statuses. Every function returns
 * statements for the caller's own batch, so indexing never costs a round
 * trip of its own and a status is never stored without its terms.
 */

/** The searchable parts of a status, as Mastodon indexes them. */
export interface SearchableStatus {
	id: string;
	/** Sanitized HTML. */
	content: string;
	spoilerText: string;
	pollOptions?: readonly string[];
	mediaDescriptions?: readonly (string | null)[];
}

export interface IndexedDocument {
	statusId: string;
	text: string;
	terms: string[];
	hasLink: boolean;
}

export function indexedDocument(status: SearchableStatus): IndexedDocument {
	const document = buildSearchDocument([
		status.spoilerText,
		htmlToSearchText(status.content),
		...(status.pollOptions ?? []),
		...(status.mediaDescriptions ?? []),
	]);
	return { statusId: status.id, ...document, hasLink: hasOutsideLink(status.content) };
}

/** Removes what was indexed for these statuses (their documents name the exact term rows). */
export function unindexStatements(db: Db, statusIds: string[]): Statement[] {
	if (statusIds.length === 0) return [];
	const ids = JSON.stringify(statusIds);
	return [
		sqlRun(
			db,
			sql`delete from status_search_terms where rowid in (
				select t.rowid from status_search_documents d, json_each(d.terms) j
				join status_search_terms t on t.term = j.value and t.status_id = d.status_id
				where d.status_id in (select value from json_each(${ids})))`,
		),
		sqlRun(db, sql`delete from status_search_documents where status_id in (select value from json_each(${ids}))`),
	];
}

/** Removes the term rows of all of an account's statuses (their documents then go by cascade with the statuses). */
export function unindexAccountStatement(db: Db, accountId: string): Statement {
	return sqlRun(
		db,
		sql`delete from status_search_terms where rowid in (
			select t.rowid from statuses s join status_search_documents d on d.status_id = s.id, json_each(d.terms) j
			join status_search_terms t on t.term = j.value and t.status_id = d.status_id
			where s.account_id = ${accountId})`,
	);
}

/** Writes the index rows of freshly built documents (statuses not indexed before). */
export function insertIndexStatements(db: Db, documents: IndexedDocument[]): Statement[] {
	if (documents.length === 0) return [];
	const rows = JSON.stringify(
		documents.map((d) => ({ id: d.statusId, text: d.text, terms: d.terms, link: d.hasLink ? 1 : 0 })),
	);
	return [
		sqlRun(
			db,
			sql`insert or ignore into status_search_terms (term, status_id)
			select t.value, s.id
			from json_each(${rows}) d
			join statuses s on s.id = json_extract(d.value, '$.id'), json_each(json_extract(d.value, '$.terms')) t`,
		),
		sqlRun(
			db,
			sql`insert or replace into status_search_documents (status_id, text, terms, has_link)
			select json_extract(d.value, '$.id'), json_extract(d.value, '$.text'), json_extract(d.value, '$.terms'),
				json_extract(d.value, '$.link')
			from json_each(${rows}) d
			where exists (select 1 from statuses s where s.id = json_extract(d.value, '$.id'))`,
		),
	];
}

/** Indexes a new status. */
export function indexStatements(db: Db, status: SearchableStatus): Statement[] {
	return insertIndexStatements(db, [indexedDocument(status)]);
}

/** Replaces a status's index rows after an edit. */
export function reindexStatements(db: Db, status: SearchableStatus): Statement[] {
	return [...unindexStatements(db, [status.id]), ...indexStatements(db, status)];
}

/**
 * Remote posts are indexed when someone here may search for them, as
 * Mastodon indexes them: public posts of accounts that opted in (`indexable`),
 * posts that mention someone here, and any post the moment a local account
 * favourites, bookmarks, boosts or votes in it. Indexing every remote post
 * would cost a row written per distinct word of each, the largest part of
 * an inbound post's writes by far.
 */
export function indexesRemotePost(input: {
	visibility: string;
	authorIndexable: boolean;
	mentionsLocal: boolean;
}): boolean {
	return input.mentionsLocal || (input.visibility === "public" && input.authorIndexable);
}

/**
 * Statements indexing a remote post a local account just interacted with,
 * unless it is indexed already (one read; nothing for local posts, which are
 * indexed as they are written). For the caller's own batch.
 */
export async function indexOnInteraction(
	db: Db,
	account: { domain: string | null },
	status: { id: string; local?: boolean },
): Promise<Statement[]> {
	if (status.local || account.domain !== null) return [];
	const [row] = await db.all<{
		content: string;
		spoilerText: string;
		indexed: number;
		pollOptions: string | null;
		media: string | null;
	}>(
		sql`select s.content as content, s.spoiler_text as spoilerText,
			exists (select 1 from status_search_documents where status_id = s.id) as indexed,
			(select json_group_array(json_extract(o.value, '$.title')) from polls p, json_each(p.options) o
				where p.id = s.poll_id) as pollOptions,
			(select json_group_array(m.description) from media_attachments m
				where m.status_id = s.id and m.description is not null) as media
		from statuses s where s.id = ${status.id} and s.local = 0 and s.reblog_of_id is null and s.deleted_at is null`,
	);
	if (!row || row.indexed) return [];
	const list = (json: string | null) =>
		json ? (JSON.parse(json) as (string | null)[]).filter((v): v is string => typeof v === "string") : [];
	return indexStatements(db, {
		id: status.id,
		content: row.content,
		spoilerText: row.spoilerText,
		pollOptions: list(row.pollOptions),
		mediaDescriptions: list(row.media),
	});
}
