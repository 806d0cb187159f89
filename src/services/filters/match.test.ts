import { describe, expect, it } from "vitest";
import type { Filter, FilterKeyword, FilterStatus } from "../../db/schema";
import { compileFilters, isHiddenByFilters, matchFilters } from "./match";

const filter = (
	id: string,
	action: Filter["action"],
	context: Filter["context"],
	expiresAt: Date | null = null,
): Filter => ({
	id,
	accountId: "1",
	title: `filter ${id}`,
	context,
	action,
	expiresAt,
	createdAt: new Date(),
});
const keyword = (filterId: string, text: string, wholeWord: boolean): FilterKeyword => ({
	id: `${filterId}-${text}`,
	filterId,
	keyword: text,
	wholeWord,
});
const status = (content: string, extra: { spoilerText?: string; id?: string; media?: string[] } = {}) => ({
	id: extra.id ?? "100",
	content,
	spoilerText: extra.spoilerText ?? "",
	mediaDescriptions: extra.media ?? [],
});

describe("filter matching", () => {
	const filters = [
		filter("a", "warn", ["home"]),
		filter("b", "hide", ["home", "public"]),
		filter("c", "warn", ["home"], new Date(0)),
	];
	const keywords = [keyword("a", "cat", true), keyword("b", "dog", false), keyword("c", "bird", false)];
	const statusRows: FilterStatus[] = [{ id: "s1", filterId: "b", statusId: "42" }];
	const home = compileFilters(filters, keywords, statusRows, "home");

	it("matches whole words and substrings, case-insensitively, in text, warnings and media descriptions", () => {
		expect(matchFilters(home, status("<p>A CAT!</p>")).map((r) => r.keyword_matches)).toEqual([["cat"]]);
		expect(matchFilters(home, status("<p>catalogue</p>"))).toEqual([]);
		expect(matchFilters(home, status("<p>x</p>", { spoilerText: "hotdogs" }))[0]?.filter.id).toBe("b");
		expect(matchFilters(home, status("<p>x</p>", { media: ["a cat"] }))[0]?.filter.id).toBe("a");
		expect(matchFilters(home, status("<p>caf&amp;cat</p>"))).toHaveLength(1);
	});

	it("matches filtered statuses by id and skips expired filters and other contexts", () => {
		const byId = matchFilters(home, status("<p>nothing</p>", { id: "42" }));
		expect(byId).toMatchObject([
			{ filter: { id: "b", filter_action: "hide" }, status_matches: ["42"], keyword_matches: null },
		]);
		expect(isHiddenByFilters(byId)).toBe(true);
		expect(matchFilters(home, status("<p>bird</p>"))).toEqual([]);
		const pub = compileFilters(filters, keywords, statusRows, "public");
		expect(matchFilters(pub, status("<p>cat</p>"))).toEqual([]);
	});
});
