import { describe, expect, it } from "vitest";
import { statusScore, usageScore } from "./scores";

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 20, 12);

describe("Mastodon's trend scores", () => {
	it("scores a tag used by more accounts than yesterday, from five on", () => {
		const fresh = { maxScore: 0, maxScoreAt: null };
		expect(usageScore("tag", 4, 0, fresh, now).score).toBe(0);
		// Five accounts against an expectation of one: (5 − 1)² / 1.
		expect(usageScore("tag", 5, 0, fresh, now)).toEqual({ score: 16, maxScore: 16, maxScoreAt: now });
		expect(usageScore("tag", 10, 5, fresh, now).score).toBe(5);
		// Fewer than yesterday: no new score.
		expect(usageScore("tag", 6, 8, fresh, now).score).toBe(0);
	});

	it("decays the highest score with the kind's half-life and forgets it after two days", () => {
		const peak = { maxScore: 16, maxScoreAt: now - 4 * HOUR };
		expect(usageScore("tag", 0, 10, peak, now).score).toBe(8);
		expect(usageScore("link", 0, 10, peak, now).score).toBeCloseTo(16 * 0.5 ** 0.5);
		// Decayed below 1: no longer trending.
		expect(usageScore("tag", 0, 10, { maxScore: 16, maxScoreAt: now - 17 * HOUR }, now).score).toBe(0);
		expect(usageScore("tag", 0, 0, { maxScore: 16, maxScoreAt: now - 49 * HOUR }, now)).toMatchObject({ maxScore: 0 });
	});

	it("scores a post by its boosts and favourites, halving every hour since it was posted", () => {
		expect(statusScore(4, now, now)).toBe(0);
		expect(statusScore(5, now, now)).toBe(16);
		expect(statusScore(5, now - HOUR, now)).toBe(8);
		expect(statusScore(5, now - 6 * HOUR, now)).toBe(0);
	});
});
