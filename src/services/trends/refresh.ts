import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import { collectTrendActivity } from "./collect";
import { fetchLinkCard } from "./links";
import { statusScore, TREND_DAY_MS, usageScore, utcDay } from "./scores";

/** Trending links whose page is read per run (each is one outbound request). */
const CARDS_PER_RUN = 3;
/** A post stays a candidate this long after its last boost or favourite, as Mastodon keeps recently used ids. */
const CANDIDATE_MS = 2 * TREND_DAY_MS;
const HISTORY_DAYS = 7;

interface UsageRow {
	kind: "tag" | "link";
	key: string;
	today: number;
	yesterday: number;
	max_score: number | null;
	max_score_at: number | null;
	hidden: number;
}

interface CandidateRow {
	key: string;
	interactions: number;
	created_at: number;
	eligible: number;
}

/**
 * The cron's trends step: reads new activity, scores every tag and link used
 * today or yesterday and every post boosted or favourited lately, as
 * Mastodon's Trends::* classes do, and reads the pages of links that trend.
 * The API then only reads the stored ranking.
 */
export async function refreshTrends(ctx: ServiceContext, now = Date.now()): Promise<void> {
	const { db } = ctx;
	await collectTrendActivity(db, ctx.config.domain, now);
	const today = utcDay(now);
	const yesterday = today - TREND_DAY_MS;
	const usage = await sqlAll<UsageRow>(
		db,
		sql`select u.kind, u.key,
			count(distinct case when u.day = ${today} then u.account_id end) as today,
			count(distinct case when u.day = ${yesterday} then u.account_id end) as yesterday,
			s.max_score, s.max_score_at,
			exists (select 1 from trend_hidden h where h.kind = u.kind and h.key = u.key) as hidden
		from trend_uses u left join trend_scores s on s.kind = u.kind and s.key = u.key
		where u.kind in ('tag', 'link') and u.day >= ${yesterday}
		group by u.kind, u.key`,
	);
	const scored = usage.map((row) => {
		const result = usageScore(
			row.kind,
			Number(row.today),
			Number(row.yesterday),
			{ maxScore: Number(row.max_score ?? 0), maxScoreAt: row.max_score_at === null ? null : Number(row.max_score_at) },
			now,
		);
		// A hidden tag or link keeps its history but never ranks.
		return { kind: row.kind, key: row.key, ...result, score: row.hidden ? 0 : result.score };
	});
	const candidates = await sqlAll<CandidateRow>(
		db,
		sql`select c.key, s.reblogs_count + s.favourites_count as interactions, s.created_at,
			(s.visibility = 'public' and s.deleted_at is null and s.reblog_of_id is null and s.in_reply_to_id is null
				and s.sensitive = 0 and s.spoiler_text = '' and a.discoverable = 1 and a.suspended_at is null) as eligible
		from trend_scores c join statuses s on s.id = c.key join accounts a on a.id = s.account_id
		where c.kind = 'status' and c.seen_at > ${now - CANDIDATE_MS}`,
	);
	const statusScores = candidates.map((row) => ({
		key: row.key,
		score: row.eligible ? statusScore(Number(row.interactions), Number(row.created_at), now) : 0,
	}));
	await db.batch([
		// What was not used today or yesterday drops out of the ranking, as Mastodon replaces it each run.
		sqlRun(db, sql`update trend_scores set score = 0 where kind in ('tag', 'link') and score > 0`),
		sqlRun(
			db,
			sql`insert into trend_scores (kind, key, score, max_score, max_score_at, seen_at)
			select json_extract(value, '$.kind'), json_extract(value, '$.key'), json_extract(value, '$.score'),
				json_extract(value, '$.maxScore'), json_extract(value, '$.maxScoreAt'), ${now}
			from json_each(${JSON.stringify(scored)}) where true
			on conflict (kind, key) do update set score = excluded.score, max_score = excluded.max_score,
				max_score_at = excluded.max_score_at, seen_at = excluded.seen_at`,
		),
		sqlRun(
			db,
			sql`update trend_scores set score = coalesce((select json_extract(value, '$.score')
				from json_each(${JSON.stringify(statusScores)}) where json_extract(value, '$.key') = trend_scores.key), 0)
			where kind = 'status'`,
		),
		sqlRun(db, sql`delete from trend_scores where kind = 'status' and seen_at <= ${now - CANDIDATE_MS}`),
		sqlRun(
			db,
			sql`delete from trend_scores where kind in ('tag', 'link') and score = 0
			and (max_score_at is null or max_score_at < ${now - CANDIDATE_MS})`,
		),
		sqlRun(db, sql`delete from trend_uses where day < ${today - HISTORY_DAYS * TREND_DAY_MS}`),
	]);
	await readTrendingLinkPages(ctx, now);
}

/** Pages of trending links not read yet (or that failed over a day ago), a few per run. */
async function readTrendingLinkPages(ctx: ServiceContext, now: number): Promise<void> {
	const due = await sqlAll<{ key: string }>(
		ctx.db,
		sql`select s.key from trend_scores s left join link_cards c on c.url = s.key
		where s.kind = 'link' and s.score > 0 and (c.url is null or (c.failed = 1 and c.fetched_at < ${now - TREND_DAY_MS}))
		order by s.score desc limit ${CARDS_PER_RUN}`,
	);
	for (const { key } of due) await fetchLinkCard(ctx, key, new Date(now));
}
