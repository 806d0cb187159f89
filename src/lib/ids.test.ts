import { describe, expect, it } from "vitest";
import { idTime, lowestIdAt, newId } from "./ids";

describe("ids", () => {
	it("are 18-digit strings that sort by time as text", () => {
		const earlier = newId(new Date("2020-01-01T00:00:00Z"));
		const later = newId(new Date("2030-01-01T00:00:00Z"));
		expect(earlier).toMatch(/^\d{18}$/);
		expect(later).toMatch(/^\d{18}$/);
		expect(earlier < later).toBe(true);
	});

	it("stay unique and ordered within one millisecond", () => {
		const at = Date.now();
		const ids = Array.from({ length: 1000 }, () => newId(at));
		expect(new Set(ids).size).toBe(1000);
		expect(idTime(ids[0] as string).getTime()).toBe(at);
		expect(lowestIdAt(at) <= (ids[0] as string)).toBe(true);
	});
});
