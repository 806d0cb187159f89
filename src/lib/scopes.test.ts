import { describe, expect, it } from "vitest";
import { anyScopeCovers, parseScopes, scopeCovers, unknownScopes } from "./scopes";

describe("scopes", () => {
	it("parses space- and plus-separated lists", () => {
		expect(parseScopes("read write+follow")).toEqual(["read", "write", "follow"]);
		expect(parseScopes(undefined)).toEqual([]);
	});

	it("lets a parent scope cover its children", () => {
		expect(scopeCovers(["read"], "read:statuses")).toBe(true);
		expect(scopeCovers(["read:statuses"], "read:accounts")).toBe(false);
		expect(scopeCovers(["admin:read"], "admin:read:accounts")).toBe(true);
		expect(scopeCovers(["write"], "read:statuses")).toBe(false);
	});

	it("treats the legacy follow scope as Mastodon does", () => {
		expect(scopeCovers(["follow"], "write:follows")).toBe(true);
		expect(scopeCovers(["follow"], "read:blocks")).toBe(true);
		expect(scopeCovers(["follow"], "write:statuses")).toBe(false);
	});

	it("accepts any one of several scopes", () => {
		expect(anyScopeCovers(["profile"], ["profile", "read:accounts"])).toBe(true);
	});

	it("finds unknown scopes", () => {
		expect(unknownScopes(["read", "write:statuses", "launch"])).toEqual(["launch"]);
	});
});
