/**
 * Mastodon's trend scores (app/models/trends/tags.rb, links.rb, statuses.rb),
 * as pure functions the cron applies.
 *
 * Tags and links: `observed` is how many accounts used the tag (shared the
 * link) today, `expected` how many did yesterday (at least 1). Below the
 * threshold, or fewer than yesterday, the score is 0; otherwise
 * (observed − expected)² / expected. The highest score of the last two days
 * is kept and decays with a half-life, and what decays below 1 stops
 * trending.
 *
 * Statuses: boosts plus favourites, scored the same way against an
 * expectation of 1 from the threshold of 5 on, decaying from the post's
 * creation with a one-hour half-life; below 0.3 it stops trending.
 */

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export const USAGE_OPTIONS = {
	tag: { threshold: 5, maxScoreCooldownMs: 2 * DAY, maxScoreHalflifeMs: 4 * HOUR, decayThreshold: 1 },
	link: { threshold: 5, maxScoreCooldownMs: 2 * DAY, maxScoreHalflifeMs: 8 * HOUR, decayThreshold: 1 },
} as const;

export const STATUS_OPTIONS = { threshold: 5, scoreHalflifeMs: HOUR, decayThreshold: 0.3 } as const;

export interface UsageState {
	maxScore: number;
	maxScoreAt: number | null;
}

export interface UsageScore extends UsageState {
	/** The decayed score the ranking uses; 0 when it does not trend. */
	score: number;
}

export function usageScore(
	kind: keyof typeof USAGE_OPTIONS,
	observed: number,
	yesterday: number,
	previous: UsageState,
	now: number,
): UsageScore {
	const options = USAGE_OPTIONS[kind];
	const expected = yesterday === 0 ? 1 : yesterday;
	const raw = expected > observed || observed < options.threshold ? 0 : (observed - expected) ** 2 / expected;
	let maxScore = previous.maxScore;
	let maxScoreAt = previous.maxScoreAt;
	if (maxScoreAt === null || maxScoreAt < now - options.maxScoreCooldownMs) maxScore = 0;
	if (raw > maxScore) {
		maxScore = raw;
		maxScoreAt = now;
	}
	const decayed =
		maxScore === 0 || maxScoreAt === null ? 0 : maxScore * 0.5 ** ((now - maxScoreAt) / options.maxScoreHalflifeMs);
	return { score: decayed >= options.decayThreshold ? decayed : 0, maxScore, maxScoreAt };
}

export function statusScore(interactions: number, createdAt: number, now: number): number {
	const expected = 1;
	const raw =
		expected > interactions || interactions < STATUS_OPTIONS.threshold ? 0 : (interactions - expected) ** 2 / expected;
	const decayed = raw * 0.5 ** ((now - createdAt) / STATUS_OPTIONS.scoreHalflifeMs);
	return decayed >= STATUS_OPTIONS.decayThreshold ? decayed : 0;
}

/** Midnight UTC of the day `at` falls on. */
export function utcDay(at: number): number {
	return Math.floor(at / DAY) * DAY;
}

export const TREND_DAY_MS = DAY;
