import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { isSpaceless, segments, segmentTerms } from "../../lib/text/search-terms";
import { dateBounds, type ParsedSearch, type SearchClause } from "./query";

/**
 * Full-text status search over the term index, with Mastodon's rules for
 * what a signed-in viewer may find: their own posts, posts they favourited,
 * bookmarked, boosted, voted in or were mentioned in, and public posts of
 * accounts that opted in (`indexable`). Newest first. Authors the viewer
 * blocks or mutes, and those blocking the viewer, are left out here so that
 * pages stay full.
 *
 * One query: the rarest word drives (counted inside the query, up to
 * RARITY_PROBE rows each); its index rows are read newest first, at most
 * MAX_CANDIDATES of them, and the scan stops once a page is found. Every
 * other condition is a point lookup per candidate. Without a word, a
 * hashtag, then a `from:` account drives; a query of filters alone finds
 * nothing rather than scanning every status.
 */

export interface StatusSearchInput {
	parsed: ParsedSearch;
	viewerId: string;
	/** Resolved `from:` accounts by acct; absent ones match nothing. */
	fromIds: Map<string, string | null>;
	accountId?: string;
	maxId?: string;
	minId?: string;
	limit: number;
	offset: number;
}

/** What one search word asks of the index: exact terms, and substrings of the folded text. */
interface WordNeeds {
	terms: string[];
	contains: string[];
}

function wordNeeds(text: string): WordNeeds {
	const needs: WordNeeds = { terms: [], contains: [] };
	for (const segment of segments(text)) {
		const chars = [...segment];
		if (isSpaceless(segment) && chars.length === 1) {
			// A lone character is indexed only at the end of a run; the text finds it anywhere.
			needs.contains.push(segment);
			continue;
		}
		needs.terms.push(...segmentTerms(segment).filter((t) => [...t].length > 1 || !isSpaceless(t)));
		if (isSpaceless(segment)) needs.contains.push(segment);
	}
	return needs;
}

/** The folded phrase as it appears in a document's text, padded where a word must end. */
function phrasePattern(text: string): string | null {
	const segs = segments(text);
	if (segs.length === 0) return null;
	const first = segs[0] as string;
	const last = segs[segs.length - 1] as string;
	return `${isSpaceless(first) ? "" : " "}${segs.join(" ")}${isSpaceless(last) ? "" : " "}`;
}

function hasTerm(term: string): SQL {
	return sql`exists (select 1 from status_search_terms x where x.term = ${term} and x.status_id = s.id)`;
}

function hasTag(name: string): SQL {
	return sql`exists (select 1 from status_tags st join tags tg on tg.id = st.tag_id
		where st.status_id = s.id and tg.name = ${name})`;
}

function propertyCondition(property: string): SQL {
	switch (property) {
		case "media":
			return sql`exists (select 1 from media_attachments m where m.status_id = s.id)`;
		case "image":
		case "video":
		case "audio":
			return sql`exists (select 1 from media_attachments m where m.status_id = s.id
				and m.type in (${property}, ${property === "video" ? "gifv" : property}))`;
		case "poll":
			return sql`s.poll_id is not null`;
		case "link":
			return sql`d.has_link = 1`;
		case "reply":
			return sql`(s.in_reply_to_id is not null or s.in_reply_to_uri is not null)`;
		case "sensitive":
			return sql`s.sensitive = 1`;
		default:
			// Mastodon matches unknown properties against nothing.
			return sql`0`;
	}
}

function languageCondition(code: string): SQL {
	const base = code.split("-")[0] ?? code;
	return code.includes("-")
		? sql`lower(s.language) = ${code}`
		: sql`(lower(s.language) = ${base} or lower(s.language) like ${`${base}-%`})`;
}

function clauseCondition(clause: SearchClause, input: StatusSearchInput): SQL {
	switch (clause.kind) {
		case "word": {
			const needs = wordNeeds(clause.text);
			const parts = [...needs.terms.map(hasTerm), ...needs.contains.map((c) => sql`instr(d.text, ${c}) > 0`)];
			return parts.length > 0 ? sql`(${sql.join(parts, sql` and `)})` : sql`1`;
		}
		case "phrase": {
			const pattern = phrasePattern(clause.text);
			if (!pattern) return sql`1`;
			const terms = wordNeeds(clause.text).terms.map(hasTerm);
			return sql`(${sql.join([...terms, sql`instr(d.text, ${pattern}) > 0`], sql` and `)})`;
		}
		case "hashtag":
			return hasTag(clause.name);
		case "from":
			return sql`s.account_id = ${input.fromIds.get(clause.acct) ?? ""}`;
		case "property":
			return propertyCondition(clause.property);
		case "language":
			return languageCondition(clause.code);
		case "date": {
			const { from, until } = dateBounds(clause);
			const parts: SQL[] = [];
			if (from !== undefined) parts.push(sql`s.created_at >= ${from}`);
			if (until !== undefined) parts.push(sql`s.created_at < ${until}`);
			return sql`(${sql.join(parts, sql` and `)})`;
		}
	}
}

type Driver =
	| { kind: "term"; terms: string[] }
	| { kind: "tag"; name: string }
	| { kind: "account"; accountId: string }
	| { kind: "contains"; text: string };

/** The most selective positive condition to read candidates from; null when none is selective enough. */
function pickDriver(input: StatusSearchInput): Driver | null {
	const positive = input.parsed.clauses.filter((c) => !c.negated);
	const terms = [
		...new Set(positive.flatMap((c) => (c.kind === "word" || c.kind === "phrase" ? wordNeeds(c.text).terms : []))),
	];
	if (terms.length > 0) return { kind: "term", terms };
	const tag = positive.find((c) => c.kind === "hashtag");
	if (tag?.kind === "hashtag") return { kind: "tag", name: tag.name };
	const from = positive.find((c) => c.kind === "from");
	const accountId = input.accountId ?? (from?.kind === "from" ? (input.fromIds.get(from.acct) ?? "") : undefined);
	if (accountId !== undefined) return { kind: "account", accountId };
	const lone = positive.flatMap((c) => (c.kind === "word" ? wordNeeds(c.text).contains : []))[0];
	if (lone) return { kind: "contains", text: lone };
	return null;
}

/** Index rows counted per word to tell rare words from common ones. */
export const RARITY_PROBE = 200;

/**
 * The rarest of several words, chosen inside the query: each word's index
 * rows are counted up to RARITY_PROBE (ties go to the longer word).
 */
function rarestTerm(terms: string[]): SQL {
	if (terms.length === 1) return sql`${terms[0]}`;
	return sql`(select w.value from json_each(${JSON.stringify(terms)}) w
		order by (select count(*) from (select 1 from status_search_terms p where p.term = w.value limit ${RARITY_PROBE})),
			length(w.value) desc limit 1)`;
}

/**
 * How many of a word's (or hashtag's) newest index rows one search may walk.
 * A very common word whose posts are mostly hidden from the viewer would
 * otherwise read its whole list; past this, older posts are not found
 * (paging with max_id moves the window).
 */
export const MAX_CANDIDATES = 2000;

function driverSql(driver: Driver, input: StatusSearchInput): { from: SQL; key: SQL } {
	// Sub-selects run as co-routines: rows are pulled newest first only until the page is full.
	const window = sql`${input.maxId ? sql`and status_id < ${input.maxId}` : sql``}
		${input.minId ? sql`and status_id > ${input.minId}` : sql``}
		order by status_id desc limit ${MAX_CANDIDATES}`;
	switch (driver.kind) {
		case "term":
			return {
				from: sql`(select status_id from status_search_terms where term = ${rarestTerm(driver.terms)} ${window}) t0
					cross join statuses s on s.id = t0.status_id`,
				key: sql`t0.status_id`,
			};
		case "tag":
			return {
				from: sql`(select status_id from status_tags
					where tag_id = (select id from tags where name = ${driver.name}) ${window}) t0
					cross join statuses s on s.id = t0.status_id`,
				key: sql`t0.status_id`,
			};
		case "account":
			return { from: sql`statuses s`, key: sql`s.id` };
		case "contains":
			// Lone Han/kana/Hangul characters: every pair starting with it, plus runs ending with it.
			return {
				from: sql`(select distinct status_id from status_search_terms
					where term >= ${driver.text} and term < ${`${driver.text}\u{10ffff}`}) t0
					cross join statuses s on s.id = t0.status_id`,
				key: sql`t0.status_id`,
			};
	}
}

function searchableBy(viewerId: string, scope: ParsedSearch["scope"]): SQL {
	const library = sql`(s.account_id = ${viewerId}
		or exists (select 1 from favourites f where f.account_id = ${viewerId} and f.status_id = s.id)
		or exists (select 1 from bookmarks b where b.account_id = ${viewerId} and b.status_id = s.id)
		or exists (select 1 from mentions mn where mn.status_id = s.id and mn.account_id = ${viewerId} and mn.silent = 0)
		or exists (select 1 from statuses r where r.account_id = ${viewerId} and r.reblog_of_id = s.id
			and r.deleted_at is null)
		or (s.poll_id is not null and exists (select 1 from poll_votes v
			where v.poll_id = s.poll_id and v.account_id = ${viewerId})))`;
	const open = sql`(s.visibility = 'public' and a.indexable = 1)`;
	if (scope === "library") return library;
	if (scope === "public") return open;
	return sql`(${open} or ${library})`;
}

function notHidden(viewerId: string): SQL {
	return sql`(s.account_id = ${viewerId} or (
		(a.silenced_at is null or exists (select 1 from follows fs where fs.account_id = ${viewerId}
			and fs.target_account_id = s.account_id))
		and (a.domain is null or not exists (select 1 from account_domain_blocks adb
			where adb.account_id = ${viewerId} and adb.domain = a.domain))
		and
		not exists (select 1 from blocks bl where bl.account_id = ${viewerId} and bl.target_account_id = s.account_id)
		and not exists (select 1 from blocks bb where bb.account_id = s.account_id and bb.target_account_id = ${viewerId})
		and not exists (select 1 from mutes mu where mu.account_id = ${viewerId} and mu.target_account_id = s.account_id
			and (mu.expires_at is null or mu.expires_at > ${Date.now()}))))`;
}

/** The query behind a search; null when no condition is selective enough to drive it. */
export function statusSearchQuery(input: StatusSearchInput): SQL | null {
	const driver = pickDriver(input);
	if (!driver) return null;
	const { from, key } = driverSql(driver, input);
	const where: SQL[] = [
		sql`s.deleted_at is null`,
		sql`s.reblog_of_id is null`,
		sql`a.suspended_at is null`,
		searchableBy(input.viewerId, input.parsed.scope),
		notHidden(input.viewerId),
	];
	if (driver.kind === "account") where.push(sql`s.account_id = ${driver.accountId}`);
	if (input.accountId !== undefined) where.push(sql`s.account_id = ${input.accountId}`);
	if (input.maxId) where.push(sql`${key} < ${input.maxId}`);
	if (input.minId) where.push(sql`${key} > ${input.minId}`);
	for (const clause of input.parsed.clauses) {
		const condition = clauseCondition(clause, input);
		where.push(clause.negated ? sql`not ${condition}` : condition);
	}
	return sql`select s.id as id from ${from}
		cross join accounts a on a.id = s.account_id
		cross join status_search_documents d on d.status_id = s.id
		where ${sql.join(where, sql` and `)}
		order by ${key} desc limit ${input.limit} offset ${input.offset}`;
}

/** Ids of the statuses found, newest first. */
export async function searchStatusIds(db: Db, input: StatusSearchInput): Promise<string[]> {
	const query = statusSearchQuery(input);
	if (!query) return [];
	const rows = await db.all<{ id: string }>(query);
	return rows.map((r) => r.id);
}

/** Folded `from:` handles the caller must resolve to account ids. */
export function fromHandles(parsed: ParsedSearch): string[] {
	return [...new Set(parsed.clauses.flatMap((c) => (c.kind === "from" ? [c.acct] : [])))];
}
