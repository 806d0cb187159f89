import { describe, expect, it } from "vitest";
import { ValidationError } from "../../lib/errors";
import { dateBounds, parseSearchQuery } from "./query";

describe("parseSearchQuery", () => {
	it("splits words, phrases, hashtags and exclusions", () => {
		expect(parseSearchQuery('tern -gull "sea bird" #Birds “curly quote”').clauses).toEqual([
			{ kind: "word", negated: false, text: "tern" },
			{ kind: "word", negated: true, text: "gull" },
			{ kind: "phrase", negated: false, text: "sea bird" },
			{ kind: "hashtag", negated: false, name: "birds" },
			{ kind: "phrase", negated: false, text: "curly quote" },
		]);
	});

	it("reads Mastodon's prefixes and searches unknown ones as words", () => {
		const parsed = parseSearchQuery("from:me has:media -is:reply language:pt_BR in:library foo:bar");
		expect(parsed.scope).toBe("library");
		expect(parsed.clauses).toEqual([
			{ kind: "from", negated: false, acct: "me" },
			{ kind: "property", negated: false, property: "media" },
			{ kind: "property", negated: true, property: "reply" },
			{ kind: "language", negated: false, code: "pt-br" },
			{ kind: "word", negated: false, text: "foo bar" },
		]);
	});

	it("takes dates, date-times and epoch milliseconds, and refuses anything else", () => {
		const [during] = parseSearchQuery("during:2024-03-01").clauses;
		if (during?.kind !== "date") throw new Error("not a date");
		expect(dateBounds(during)).toEqual({ from: Date.UTC(2024, 2, 1), until: Date.UTC(2024, 2, 2) });
		const [after] = parseSearchQuery("after:2024-03-01").clauses;
		if (after?.kind !== "date") throw new Error("not a date");
		expect(dateBounds(after)).toEqual({ from: Date.UTC(2024, 2, 2) });
		expect(parseSearchQuery("before:1700000000000").clauses[0]).toMatchObject({ at: 1700000000000 });
		expect(parseSearchQuery("before:2024-03-01T10:00:00Z").clauses[0]).toMatchObject({ at: Date.UTC(2024, 2, 1, 10) });
		expect(() => parseSearchQuery("before:yesterday")).toThrow(ValidationError);
		expect(() => parseSearchQuery("after:2024-13-45")).toThrow(ValidationError);
	});
});
