import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { searchBackfill } from "../../db/schema";
import { asBatch, type Statement } from "../statuses/writes";
import { type IndexedDocument, indexedDocument, insertIndexStatements } from "./indexing";

/**
 * Indexes statuses stored before search existed, newest first, a page per
 * call from the scheduled handler (new and edited statuses are indexed as
 * they are written). The cursor lives in `search_backfill`; a database
 * created after search landed walks its few rows once and is done.
 */

const STATE_ID = "statuses";
export const BACKFILL_PAGE = 100;
/** Documents per insert, so one bound JSON parameter stays well under D1's limits. */
const MAX_JSON_CHARS = 400_000;

interface Row {
	id: string;
	content: string;
	spoilerText: string;
	pollOptions: string | null;
	media: string | null;
}

function chunks(documents: IndexedDocument[]): IndexedDocument[][] {
	const out: IndexedDocument[][] = [];
	let current: IndexedDocument[] = [];
	let size = 0;
	for (const document of documents) {
		const length = document.text.length * 2 + 64;
		if (current.length > 0 && size + length > MAX_JSON_CHARS) {
			out.push(current);
			current = [];
			size = 0;
		}
		current.push(document);
		size += length;
	}
	if (current.length > 0) out.push(current);
	return out;
}

function parseList(json: string | null): string[] {
	if (!json) return [];
	const value: unknown = JSON.parse(json);
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * What new posts get indexed (see indexesRemotePost): local posts, public
 * posts of indexable accounts, and remote posts someone here was mentioned in
 * or interacted with.
 */
const indexedHere = sql`(s.local = 1
	or (s.visibility = 'public' and exists (select 1 from accounts a where a.id = s.account_id and a.indexable = 1))
	or exists (select 1 from mentions m join accounts ma on ma.id = m.account_id
		where m.status_id = s.id and ma.domain is null)
	or exists (select 1 from favourites f join accounts fa on fa.id = f.account_id
		where f.status_id = s.id and fa.domain is null)
	or exists (select 1 from bookmarks b where b.status_id = s.id)
	or exists (select 1 from statuses r join accounts ra on ra.id = r.account_id
		where r.reblog_of_id = s.id and ra.domain is null)
	or (s.poll_id is not null and exists (select 1 from poll_votes v join accounts va on va.id = v.account_id
		where v.poll_id = s.poll_id and va.domain is null)))`;

/** Indexes one page; returns true once every status is indexed. */
export async function backfillSearchPage(db: Db, pageSize = BACKFILL_PAGE): Promise<boolean> {
	const [state] = await db.select().from(searchBackfill).where(eq(searchBackfill.id, STATE_ID)).limit(1);
	if (state?.doneAt) return true;
	const before = state?.beforeId ?? null;
	const rows = await db.all<Row>(sql`select s.id as id, s.content as content, s.spoiler_text as spoilerText,
			(select json_group_array(json_extract(o.value, '$.title')) from polls p, json_each(p.options) o
				where p.id = s.poll_id) as pollOptions,
			(select json_group_array(m.description) from media_attachments m
				where m.status_id = s.id and m.description is not null) as media
		from statuses s
		where s.reblog_of_id is null and s.deleted_at is null
			and (${before} is null or s.id < ${before})
			and not exists (select 1 from status_search_documents d where d.status_id = s.id)
			and ${indexedHere}
		order by s.id desc limit ${pageSize}`);
	const documents = rows.map((row) =>
		indexedDocument({
			id: row.id,
			content: row.content,
			spoilerText: row.spoilerText,
			pollOptions: parseList(row.pollOptions),
			mediaDescriptions: parseList(row.media),
		}),
	);
	const done = rows.length < pageSize;
	const last = rows[rows.length - 1]?.id ?? before;
	const statements: Statement[] = chunks(documents).flatMap((chunk) => insertIndexStatements(db, chunk));
	statements.push(
		db
			.insert(searchBackfill)
			.values({ id: STATE_ID, beforeId: last, doneAt: done ? new Date() : null })
			.onConflictDoUpdate({
				target: searchBackfill.id,
				set: { beforeId: last, doneAt: done ? new Date() : null },
			}),
	);
	await db.batch(asBatch(statements));
	return done;
}
