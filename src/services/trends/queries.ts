import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll } from "../../db/queries/raw";
import { type LinkCard, type TrendKind, tags } from "../../db/schema";
import { TREND_DAY_MS, utcDay } from "./scores";

/**
 * The stored ranking, best first, as the API pages it (offset and limit,
 * as Mastodon's trends endpoints do). Hidden tags and links never show.
 */

function rankedKeys(db: Db, kind: TrendKind, offset: number, limit: number) {
	return sqlAll<{ key: string }>(
		db,
		sql`select s.key from trend_scores s where s.kind = ${kind} and s.score > 0
		and not exists (select 1 from trend_hidden h where h.kind = s.kind and h.key = s.key)
		order by s.score desc, s.key limit ${limit} offset ${offset}`,
	);
}

export async function trendingTags(db: Db, offset: number, limit: number): Promise<(typeof tags.$inferSelect)[]> {
	const keys = (await rankedKeys(db, "tag", offset, limit)).map((row) => row.key);
	if (keys.length === 0) return [];
	const rows = await db
		.select()
		.from(tags)
		.where(sql`${tags.name} in (select value from json_each(${JSON.stringify(keys)}))`);
	return keys.flatMap((key) => rows.find((row) => row.name === key) ?? []);
}

export async function trendingStatusIds(db: Db, offset: number, limit: number): Promise<string[]> {
	return (await rankedKeys(db, "status", offset, limit)).map((row) => row.key);
}

export interface TrendingLink {
	card: LinkCard;
	history: { day: number; uses: number; accounts: number }[];
}

/** Trending links with a readable page, each with its last week of shares (newest day first, days in seconds). */
export async function trendingLinks(db: Db, offset: number, limit: number, now = Date.now()): Promise<TrendingLink[]> {
	const rows = await db.all<{ key: string; card: string }>(sql`
		select s.key, json_object('url', c.url, 'title', c.title, 'description', c.description, 'type', c.type,
			'providerName', c.provider_name, 'authorName', c.author_name, 'authorUrl', c.author_url,
			'language', c.language, 'publishedAt', c.published_at, 'fetchedAt', c.fetched_at) as card
		from trend_scores s join link_cards c on c.url = s.key
		where s.kind = 'link' and s.score > 0 and c.failed = 0 and c.title <> ''
		and not exists (select 1 from trend_hidden h where h.kind = 'link' and h.key = s.key)
		order by s.score desc, s.key limit ${limit} offset ${offset}`);
	if (rows.length === 0) return [];
	const today = utcDay(now);
	const days = await sqlAll<{ key: string; day: number; uses: number; accounts: number }>(
		db,
		sql`select key, day, sum(uses) as uses, count(*) as accounts from trend_uses
		where kind = 'link' and key in (select value from json_each(${JSON.stringify(rows.map((r) => r.key))}))
		and day > ${today - 7 * TREND_DAY_MS} group by key, day`,
	);
	return rows.map((row) => {
		const raw = JSON.parse(row.card) as Record<string, unknown>;
		const card: LinkCard = {
			...(raw as unknown as LinkCard),
			publishedAt: raw.publishedAt === null ? null : new Date(Number(raw.publishedAt)),
			fetchedAt: new Date(Number(raw.fetchedAt)),
			failed: false,
		};
		const history = Array.from({ length: 7 }, (_, i) => {
			const day = today - i * TREND_DAY_MS;
			const found = days.find((d) => d.key === row.key && Number(d.day) === day);
			return { day: day / 1000, uses: Number(found?.uses ?? 0), accounts: Number(found?.accounts ?? 0) };
		});
		return { card, history };
	});
}
