import { describe, expect, it } from "vitest";
import { sanitizeHtml } from "./sanitize";

describe("sanitizeHtml", () => {
	it("keeps Mastodon's post markup", async () => {
		const html =
			'<p>Hi <span class="h-card"><a href="https://a.example/@bob" class="u-url mention">@<span>bob</span></a></span> ' +
			'<a href="https://a.example/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a><br />line</p>';
		expect(await sanitizeHtml(html)).toBe(
			'<p>Hi <span class="h-card"><a class="u-url mention" href="https://a.example/@bob" rel="nofollow noopener noreferrer" target="_blank">@<span>bob</span></a></span> ' +
				'<a class="mention hashtag" href="https://a.example/tags/x" rel="nofollow noopener noreferrer" target="_blank">#<span>x</span></a><br />line</p>',
		);
	});

	it("unwraps javascript: and data: links to their text", async () => {
		expect(await sanitizeHtml('<a href="javascript:alert(1)">click</a>')).toBe("click");
		expect(await sanitizeHtml('<a href=" JaVaScRiPt:alert(1)">x</a>')).toBe("x");
		expect(await sanitizeHtml('<a href="data:text/html,<script>">y</a>')).toBe("y");
		expect(await sanitizeHtml("<a>no href</a>")).toBe("no href");
	});

	it("allows gemini links and forces rel/target", async () => {
		expect(await sanitizeHtml('<a href="gemini://g.example/" target="_self" rel="opener">g</a>')).toBe(
			'<a href="gemini://g.example/" rel="nofollow noopener noreferrer" target="_blank">g</a>',
		);
	});

	it("removes event handlers, styles and unknown attributes", async () => {
		expect(await sanitizeHtml('<p onclick="x()" style="color:red" id="a" data-x="1">t</p>')).toBe("<p>t</p>");
		expect(await sanitizeHtml('<span class="invisible evil ellipsis" onmouseover="x">s</span>')).toBe(
			'<span class="invisible ellipsis">s</span>',
		);
		expect(await sanitizeHtml('<span class="evil">s</span>')).toBe("<span>s</span>");
	});

	it("drops scripts, styles and iframes with their content", async () => {
		expect(await sanitizeHtml("<p>a<script>alert(1)</script>b</p>")).toBe("<p>ab</p>");
		expect(await sanitizeHtml("<style>p{display:none}</style><p>c</p>")).toBe("<p>c</p>");
		expect(await sanitizeHtml('<iframe src="https://evil.example">fallback</iframe>ok')).toBe("ok");
		expect(await sanitizeHtml("<div><script><script>alert(1)</script></script>d</div>")).toBe("d");
		expect(await sanitizeHtml("<svg><script>alert(1)</script></svg>e")).toBe("e");
	});

	it("unwraps other elements to their text", async () => {
		expect(await sanitizeHtml('<div class="x"><img src="x" onerror="alert(1)">text <font>more</font></div>')).toBe(
			"text more",
		);
		expect(await sanitizeHtml("<table><tr><td>cell</td></tr></table>")).toBe("cell");
	});

	it("turns headings into bold paragraphs", async () => {
		expect(await sanitizeHtml('<h1 class="t">Title</h1><p>body</p>')).toBe("<p><strong>Title</strong></p><p>body</p>");
	});

	it("keeps entities escaped and removes comments", async () => {
		expect(await sanitizeHtml("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <!-- hidden --></p>")).toBe(
			"<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; </p>",
		);
	});

	it("closes elements left open and drops stray end tags", async () => {
		expect(await sanitizeHtml("<p><b>bold")).toBe("<p><b>bold</b></p>");
		expect(await sanitizeHtml("text</div></blockquote>")).toBe("text");
	});

	it("keeps list attributes that are plain values only", async () => {
		expect(await sanitizeHtml('<ol start="3" type="a"><li value="4">x</li></ol>')).toBe(
			'<ol start="3"><li value="4">x</li></ol>',
		);
	});

	it("returns an empty string for empty input", async () => {
		expect(await sanitizeHtml(null)).toBe("");
		expect(await sanitizeHtml("")).toBe("");
	});
});
