import { describe, expect, it } from "vitest";
import { buildSearchDocument, foldText, hasOutsideLink, htmlToSearchText, segments } from "./search-terms";

describe("search terms", () => {
	it("folds case, accents and full-width forms", () => {
		expect(foldText("Crème BRÛLÉE Straße Ｔｅｒｎ")).toBe("creme brulee strasse tern");
		expect(segments("Ça va? L'été—très bien!")).toEqual(["ca", "va", "l", "ete", "tres", "bien"]);
	});

	it("keeps letters of every script and the marks that make them", () => {
		expect(segments("Привет, мир! Γειά σου κόσμε")).toEqual(["привет", "мир", "γεια", "σου", "κοσμε"]);
		// Kana voicing marks are not accents: が stays が.
		expect(segments("がっこう")).toEqual(["がっこう"]);
	});

	it("indexes Han, kana and Hangul runs as character pairs plus the last character", () => {
		const doc = buildSearchDocument(["東京タワー and more"]);
		expect(doc.terms).toEqual(["東京", "京タ", "タワ", "ワー", "ー", "and", "more"]);
		expect(doc.text).toBe(" 東京タワー and more ");
	});

	it("turns status HTML into text and tells real links from mentions and hashtags", () => {
		const html =
			'<p>Hi <span class="h-card"><a href="https://x/@a" class="u-url mention">@a</a></span> &amp; <a href="https://x/tags/b" class="mention hashtag" rel="tag">#b</a></p>';
		expect(htmlToSearchText(html)).toContain("& ");
		expect(hasOutsideLink(html)).toBe(false);
		expect(hasOutsideLink('<p><a href="https://example.com/">example.com</a></p>')).toBe(true);
	});

	it("caps what one document may write", () => {
		const words = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(" ");
		expect(buildSearchDocument([words]).terms.length).toBe(1500);
	});
});
