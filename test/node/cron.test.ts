import { afterEach, describe, expect, it, vi } from "vitest";
import { cronsOf, parseCron, runOnSchedule } from "../../scripts/lib/cron.mjs";

const at = (iso: string) => new Date(iso);

describe("the cron of `npm run dev`", () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it("reads the crons of wrangler.toml's [triggers]", () => {
		expect(cronsOf('[vars]\nA = "b"\n\n[triggers]\ncrons = ["*/10 * * * *", "0 3 * * 1"]\n')).toEqual([
			"*/10 * * * *",
			"0 3 * * 1",
		]);
		expect(cronsOf("[vars]\n")).toEqual([]);
	});

	it("matches in UTC, with steps, ranges, lists and either day field", () => {
		const every10 = parseCron("*/10 * * * *");
		expect(every10(at("2026-12-07T09:20:00Z"))).toBe(true);
		expect(every10(at("2026-12-07T09:21:00Z"))).toBe(false);
		const workdayMornings = parseCron("0,30 8-10 * * 1-5");
		expect(workdayMornings(at("2026-12-07T08:30:00Z"))).toBe(true); // a Monday
		expect(workdayMornings(at("2026-12-06T08:30:00Z"))).toBe(false); // a Sunday
		expect(workdayMornings(at("2026-12-07T11:00:00Z"))).toBe(false);
		const firstOrSunday = parseCron("0 0 1 * 7");
		expect(firstOrSunday(at("2026-12-01T00:00:00Z"))).toBe(true);
		expect(firstOrSunday(at("2026-12-06T00:00:00Z"))).toBe(true);
		expect(firstOrSunday(at("2026-12-07T00:00:00Z"))).toBe(false);
		expect(() => parseCron("* * * *")).toThrow(/five fields/);
		expect(() => parseCron("61 * * * *")).toThrow(/Unsupported/);
	});

	it("fires at the start of each matching minute, and stops", async () => {
		vi.useFakeTimers();
		vi.setSystemTime(at("2026-12-07T09:18:30Z"));
		const fired: string[] = [];
		const stop = runOnSchedule(["*/10 * * * *"], (cron: string) => fired.push(`${new Date().toISOString()} ${cron}`));
		await vi.advanceTimersByTimeAsync(90_000);
		expect(fired).toEqual(["2026-12-07T09:20:00.000Z */10 * * * *"]);
		await vi.advanceTimersByTimeAsync(10 * 60_000);
		expect(fired).toHaveLength(2);
		stop();
		await vi.advanceTimersByTimeAsync(30 * 60_000);
		expect(fired).toHaveLength(2);
	});
});
