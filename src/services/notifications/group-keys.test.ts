import { describe, expect, it } from "vitest";
import type { Notification } from "../../db/schema";
import { GROUPABLE_TYPES, groupKeyFor, servedGroupKey } from "./group-keys";

describe("groupKeyFor", () => {
	const at = new Date("2026-11-27T10:00:00Z");

	it("groups favourites and boosts per status and time slot, follows per slot", () => {
		expect(groupKeyFor("favourite", "1", "42", at)).toBe(
			groupKeyFor("favourite", "2", "42", new Date(at.getTime() + 60_000)),
		);
		expect(groupKeyFor("favourite", "1", "42", at)).not.toBe(groupKeyFor("reblog", "1", "42", at));
		expect(groupKeyFor("favourite", "1", "42", at)).not.toBe(groupKeyFor("favourite", "1", "43", at));
		expect(groupKeyFor("follow", "1", null, at)).toBe(groupKeyFor("follow", "9", null, at));
		expect(groupKeyFor("favourite", "1", "42", at)).not.toBe(
			groupKeyFor("favourite", "1", "42", new Date(at.getTime() + 13 * 3600_000)),
		);
	});

	it("leaves other types ungrouped", () => {
		expect(groupKeyFor("mention", "7", "42", at)).toBe("ungrouped-7");
		expect(groupKeyFor("follow_request", "8", null, at)).toBe("ungrouped-8");
	});
});

describe("servedGroupKey", () => {
	const row = { id: "5", type: "favourite", groupKey: "favourite-42-1" } as Notification;
	it("keeps the stored key only for types the client groups", () => {
		expect(servedGroupKey(row, GROUPABLE_TYPES)).toBe("favourite-42-1");
		expect(servedGroupKey(row, ["follow"])).toBe("ungrouped-5");
	});
});
