import { describe, expect, it } from "vitest";
import { decodeHtmlEntities } from "./html-entities";

describe("decodeHtmlEntities", () => {
	it("decodes numeric and common named entities and keeps an out-of-range one as written", () => {
		expect(decodeHtmlEntities("a &amp; b &#233;t&#xE9; &lt;p&gt;")).toBe("a & b été <p>");
		expect(decodeHtmlEntities("bad &#x110000; and &#99999999; here")).toBe("bad &#x110000; and &#99999999; here");
		expect(decodeHtmlEntities("&unknown;")).toBe("&unknown;");
	});
});
