import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import { lowestIdAt } from "../../lib/ids";
import { sharedLink } from "./links";
import { TREND_DAY_MS, utcDay } from "./scores";

/**
 * Reads the public activity stored since the last run, a page at a time, in
 * the order it was stored (rowid, so a remote post dated in the past still
 * counts when it arrives), as Mastodon registers each post with its trends
 * when it is processed:
 * - a public original counts for each of its hashtags, once per account and day;
 * - a public post or boost of one counts for the link the post shares;
 * - a boost or favourite makes the post a candidate trending post.
 * Only the last week counts, which is all the history shows.
 */

const PAGE = 500;
const PAGES_PER_RUN = 4;
const HISTORY_DAYS = 7;

interface StoredStatus {
	rowid: number;
	account_id: string;
	visibility: string;
	reblog_of_id: string | null;
	created_at: number;
	deleted_at: number | null;
	sensitive: number;
	spoiler_text: string;
	content: string;
	tags: string;
	suspended: number;
	original_visibility: string | null;
	original_content: string | null;
	original_sensitive: number | null;
	original_spoiler_text: string | null;
}

interface Use {
	kind: "tag" | "link";
	key: string;
	day: number;
	accountId: string;
}

async function watermark(db: Db, name: string, initial: () => Promise<number>): Promise<number> {
	const [row] = await sqlAll<{ value: number }>(db, sql`select value from trend_watermarks where name = ${name}`);
	return row ? Number(row.value) : initial();
}

function saveWatermark(db: Db, name: string, value: number) {
	return sqlRun(
		db,
		sql`insert into trend_watermarks (name, value) values (${name}, ${value})
		on conflict (name) do update set value = excluded.value`,
	);
}

/** The uses one stored status brings, at `now`. */
export function usesOf(status: StoredStatus, localHost: string, now: number): Use[] {
	const at = Math.min(status.created_at, now);
	if (at < now - HISTORY_DAYS * TREND_DAY_MS || status.deleted_at !== null || status.suspended) return [];
	if (status.visibility !== "public") return [];
	const day = utcDay(at);
	const uses: Use[] = [];
	if (!status.reblog_of_id) {
		for (const name of new Set(JSON.parse(status.tags) as string[])) {
			uses.push({ kind: "tag", key: name, day, accountId: status.account_id });
		}
	}
	const original = status.reblog_of_id
		? {
				visibility: status.original_visibility,
				content: status.original_content ?? "",
				sensitive: status.original_sensitive === 1,
				spoiler: status.original_spoiler_text ?? "",
			}
		: {
				visibility: status.visibility,
				content: status.content,
				sensitive: status.sensitive === 1,
				spoiler: status.spoiler_text,
			};
	if (original.visibility === "public" && !original.sensitive && original.spoiler === "") {
		const link = sharedLink(original.content, localHost);
		if (link) uses.push({ kind: "link", key: link, day, accountId: status.account_id });
	}
	return uses;
}

function recordUses(db: Db, uses: Use[]) {
	return sqlRun(
		db,
		sql`insert into trend_uses (kind, key, day, account_id, uses)
		select json_extract(value, '$.kind'), json_extract(value, '$.key'), json_extract(value, '$.day'),
			json_extract(value, '$.accountId'), 1
		from json_each(${JSON.stringify(uses)}) where true
		on conflict (kind, key, day, account_id) do update set uses = uses + 1`,
	);
}

function recordCandidates(db: Db, statusIds: string[], now: number) {
	return sqlRun(
		db,
		sql`insert into trend_scores (kind, key, seen_at)
		select 'status', value, ${now} from json_each(${JSON.stringify([...new Set(statusIds)])}) where true
		on conflict (kind, key) do update set seen_at = excluded.seen_at`,
	);
}

/** Reads up to PAGES_PER_RUN pages of new statuses and of new favourites; returns how many rows were read. */
export async function collectTrendActivity(
	db: Db,
	localHost: string,
	now: number,
): Promise<{ statuses: number; favourites: number }> {
	// A first run starts with the last week's statuses.
	let statusMark = await watermark(db, "statuses", async () => {
		const [row] = await sqlAll<{ low: number | null; high: number | null }>(
			db,
			sql`select (select min(rowid) from statuses where id >= ${lowestIdAt(now - HISTORY_DAYS * TREND_DAY_MS)}) as low,
				(select max(rowid) from statuses) as high`,
		);
		return row?.low !== null && row?.low !== undefined ? Number(row.low) - 1 : Number(row?.high ?? 0);
	});
	let favouriteMark = await watermark(db, "favourites", async () => {
		const [row] = await sqlAll<{ high: number | null }>(db, sql`select max(rowid) as high from favourites`);
		return Number(row?.high ?? 0);
	});
	let statusCount = 0;
	let favouriteCount = 0;
	for (let page = 0; page < PAGES_PER_RUN; page++) {
		const rows = await sqlAll<StoredStatus>(
			db,
			sql`select s.rowid, s.account_id, s.visibility, s.reblog_of_id, s.created_at, s.deleted_at, s.sensitive,
				s.spoiler_text, s.content,
				(select json_group_array(t.name) from status_tags st join tags t on t.id = st.tag_id where st.status_id = s.id) as tags,
				a.suspended_at is not null as suspended,
				o.visibility as original_visibility, o.content as original_content, o.sensitive as original_sensitive,
				o.spoiler_text as original_spoiler_text
			from statuses s join accounts a on a.id = s.account_id left join statuses o on o.id = s.reblog_of_id
			where s.rowid > ${statusMark} order by s.rowid limit ${PAGE}`,
		);
		const favourites = await sqlAll<{ rowid: number; status_id: string }>(
			db,
			sql`select rowid, status_id from favourites where rowid > ${favouriteMark} order by rowid limit ${PAGE}`,
		);
		if (rows.length === 0 && favourites.length === 0) break;
		const uses = rows.flatMap((row) => usesOf(row, localHost, now));
		const candidates = [
			...rows.flatMap((row) =>
				row.reblog_of_id && row.original_visibility === "public" && row.deleted_at === null ? [row.reblog_of_id] : [],
			),
			...favourites.map((row) => row.status_id),
		];
		if (rows.length > 0) statusMark = Number(rows[rows.length - 1]?.rowid);
		if (favourites.length > 0) favouriteMark = Number(favourites[favourites.length - 1]?.rowid);
		// The uses and the new marks commit together: a crash reads the page again, never twice.
		await db.batch([
			recordUses(db, uses),
			recordCandidates(db, candidates, now),
			saveWatermark(db, "statuses", statusMark),
			saveWatermark(db, "favourites", favouriteMark),
		]);
		statusCount += rows.length;
		favouriteCount += favourites.length;
		if (rows.length < PAGE && favourites.length < PAGE) break;
	}
	return { statuses: statusCount, favourites: favouriteCount };
}
