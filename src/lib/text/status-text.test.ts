import { describe, expect, it } from "vitest";
import { extractEntities, mentionKey, normalizeTag, renderStatusHtml } from "./status-text";

const origin = "https://tern.test";
const mentions = new Map([
	["alice@", { url: "https://tern.test/@alice", username: "alice" }],
	["bob@remote.example", { url: "https://remote.example/@bob", username: "bob" }],
]);
const render = (text: string) => renderStatusHtml(text, { origin, mentions });

describe("renderStatusHtml", () => {
	it("splits paragraphs and lines and escapes HTML", () => {
		expect(render("Hello <b>&\nworld\n\n\nbye")).toBe("<p>Hello &lt;b&gt;&amp;<br />world</p><p>bye</p>");
		expect(render("  \n\n ")).toBe("");
	});

	it("linkifies URLs in Mastodon's shape and leaves trailing punctuation out", () => {
		expect(render("see https://example.com/a?b=1.")).toBe(
			'<p>see <a href="https://example.com/a?b=1" rel="nofollow noopener" translate="no" target="_blank">' +
				'<span class="invisible">https://</span><span class="">example.com/a?b=1</span><span class="invisible"></span></a>.</p>',
		);
		const long = render("https://example.com/a-very-long-path-that-goes-on-and-on");
		expect(long).toContain('<span class="ellipsis">example.com/a-very-long-path-t</span>');
		expect(long).toContain('<span class="invisible">hat-goes-on-and-on</span>');
		expect(render("(https://en.wikipedia.org/wiki/Tern_(bird))")).toContain(
			'href="https://en.wikipedia.org/wiki/Tern_(bird)"',
		);
		expect(render("javascript:alert(1) ftp://x")).toBe("<p>javascript:alert(1) ftp://x</p>");
	});

	it("links known mentions and leaves unknown ones as text", () => {
		expect(render("hi @alice and @Bob@remote.example and @carol")).toBe(
			'<p>hi <span class="h-card" translate="no"><a href="https://tern.test/@alice" class="u-url mention">@<span>alice</span></a></span>' +
				' and <span class="h-card" translate="no"><a href="https://remote.example/@bob" class="u-url mention">@<span>bob</span></a></span>' +
				" and @carol</p>",
		);
		expect(render("@alice@tern.test")).toContain('href="https://tern.test/@alice"');
		expect(render("mail me@alice.example")).toBe("<p>mail me@alice.example</p>");
	});

	it("links hashtags to the local tag page", () => {
		expect(render("#Tern and #café, not a#b or #123")).toBe(
			'<p><a href="https://tern.test/tags/tern" class="mention hashtag" rel="tag">#<span>Tern</span></a> and ' +
				'<a href="https://tern.test/tags/caf%C3%A9" class="mention hashtag" rel="tag">#<span>café</span></a>, not a#b or #123</p>',
		);
	});
});

describe("extractEntities", () => {
	it("finds each mention, tag and URL once", () => {
		const found = extractEntities("@alice @ALICE @bob@remote.example #Tag #tag #other https://x.example/");
		expect(found.mentions).toEqual([
			{ username: "alice", domain: null },
			{ username: "bob", domain: "remote.example" },
		]);
		expect(found.tags).toEqual(["Tag", "other"]);
		expect(found.urls).toEqual(["https://x.example/"]);
	});

	it("keys mentions of the local domain as local", () => {
		expect(mentionKey({ username: "Alice", domain: "TERN.test" }, "tern.test")).toBe("alice@");
		expect(mentionKey({ username: "bob", domain: "remote.example" }, "tern.test")).toBe("bob@remote.example");
		expect(normalizeTag("Ｔｅｒｎ")).toBe("tern");
	});
});
