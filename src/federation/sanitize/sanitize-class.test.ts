import { describe, expect, it } from "vitest";
import { auditSanitized } from "../../../test/helpers/html-audit";
import { sanitizeHtmlSync as clean } from "./sanitize";

/** Sanitizes, checks the result as a browser would parse it, and returns it. */
function safe(html: string): string {
	const out = clean(html);
	expect(auditSanitized(out), `${html} -> ${out}`).toEqual([]);
	return out;
}

describe("sanitizer: unterminated and malformed tags", () => {
	it("drops a last tag left open, with its attributes", () => {
		expect(safe('<p>hi</p><img src=x onerror="alert(1)"')).toBe("<p>hi</p>");
		expect(safe('<p>hi</p><a href="https://x.example" onclick="alert(1)"')).toBe("<p>hi</p>");
		expect(safe("<p>hi<span onmouseover=alert(1)")).toBe("<p>hi</p>");
		expect(safe('<p onclick="x')).toBe("");
		expect(safe("<p>text<")).toBe("<p>text&lt;</p>");
		expect(safe("<p>text</")).toBe("<p>text&lt;/</p>");
		expect(safe("<p>text</p")).toBe("<p>text</p>");
	});

	it("keeps every cut of a post safe", () => {
		const post =
			'<p>Hi <a href="https://a.example/@bob" class="u-url mention" onclick="steal()">@bob</a> ' +
			"<img src=x onerror=alert(1)><script>alert(2)</script><svg onload=alert(3)><p>x</p></svg>" +
			"<template><img onerror=alert(4)></template><noscript><img src=x onerror=alert(5)></noscript>" +
			"<style>*{}</style><!-- c --><b>bold</b></p>";
		for (let cut = 0; cut <= post.length; cut++) safe(post.slice(0, cut));
		for (let start = 0; start <= post.length; start++) safe(post.slice(start));
	});

	it("treats broken tag syntax as a browser does", () => {
		expect(safe("<p/onclick=alert(1)>x</p>")).toBe("<p>x</p>");
		expect(safe('<a/href="javascript:alert(1)">x</a>')).toBe("x");
		expect(safe("<p\nonclick=alert(1)>x")).toBe("<p>x</p>");
		expect(safe('<p onclick="a" onclick="b">x')).toBe("<p>x</p>");
		expect(safe("< p onclick=alert(1)>x")).toBe("&lt; p onclick=alert(1)&gt;x");
		expect(safe("<<p>>x")).toBe("&lt;<p>&gt;x</p>");
		expect(safe("</p onclick=alert(1)>x")).toBe("<p></p>x");
		expect(safe('<p title="a>b" onclick=x>y')).toBe("<p>y</p>");
		expect(safe("<!--><img src=x onerror=alert(1)>-->")).toBe("--&gt;");
		expect(safe("<![CDATA[<img src=x onerror=alert(1)>]]>")).toBe("]]&gt;");
		expect(safe("<?xml onload=alert(1)?><p>x</p>")).toBe("<p>x</p>");
		expect(safe("<!doctype html><p>x</p>")).toBe("<p>x</p>");
	});
});

describe("sanitizer: nesting", () => {
	it("closes what was left open and ignores stray end tags", () => {
		expect(safe("<p><b><i>x")).toBe("<p><b><i>x</i></b></p>");
		expect(safe("</b></i></p>x</a>")).toBe("<p></p>x");
		expect(safe("<ul><li>a<li>b</ul>")).toBe("<ul><li>a</li><li>b</li></ul>");
	});

	it("mends mis-nested elements the way browsers do", () => {
		expect(safe("<b><i>x</b>y</i>")).toBe("<b><i>x</i></b><i>y</i>");
		expect(safe("<p><b>x<p>y</b>")).toBe("<p><b>x</b></p><p><b>y</b></p>");
		expect(safe('<a href="https://a.example">1<a href="https://b.example">2</a>')).toBe(
			'<a href="https://a.example" rel="nofollow noopener noreferrer" target="_blank">1</a>' +
				'<a href="https://b.example" rel="nofollow noopener noreferrer" target="_blank">2</a>',
		);
	});

	it("unwraps disallowed elements nested inside allowed ones, and the reverse", () => {
		expect(safe("<p><div onclick=x><span class='mention'>@a</span></div></p>")).toBe(
			'<p></p><span class="mention">@a</span><p></p>',
		);
		expect(safe("<table><tr><td><b>c</b></td></tr></table>")).toBe("<b>c</b>");
		expect(safe("<blockquote><blockquote><blockquote>deep")).toBe(
			"<blockquote><blockquote><blockquote>deep</blockquote></blockquote></blockquote>",
		);
	});

	it("survives very deep nesting", () => {
		const deep = "<span>".repeat(5000) + "x";
		expect(safe(deep)).toContain("x");
	});
});

describe("sanitizer: entities and attributes", () => {
	it("decodes entities before checking a link's scheme", () => {
		expect(safe('<a href="jav&#x61;script:alert(1)">x</a>')).toBe("x");
		expect(safe('<a href="javascript&colon;alert(1)">x</a>')).toBe("x");
		expect(safe('<a href="java&#x09;script:alert(1)">x</a>')).toBe("x");
		expect(safe('<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>')).toBe("x");
		expect(safe('<a href="&#0000106avascript:alert(1)">x</a>')).toBe("x");
	});

	it("escapes what an attribute holds when writing it back", () => {
		expect(safe('<a href="https://a.example/?q=&quot;&gt;&lt;script&gt;">x</a>')).toBe(
			'<a href="https://a.example/?q=&quot;&gt;&lt;script&gt;" rel="nofollow noopener noreferrer" target="_blank">x</a>',
		);
		expect(safe("<a href='https://a.example/\"onmouseover=\"x'>y</a>")).toBe(
			'<a href="https://a.example/&quot;onmouseover=&quot;x" rel="nofollow noopener noreferrer" target="_blank">y</a>',
		);
	});

	it("keeps text entities as text", () => {
		expect(safe("&lt;img src=x onerror=alert(1)&gt;")).toBe("&lt;img src=x onerror=alert(1)&gt;");
		expect(safe("a &amp;lt; b &copy; &nbsp;")).toBe("a &amp;lt; b © &nbsp;");
		expect(safe("&#0;&#xD800;x")).toBe("\ufffd\ufffdx");
	});

	it("removes NUL and lone surrogates", () => {
		expect(safe("<p>a\u0000b\ud800c</p>")).toBe("<p>abc</p>");
		expect(safe("<p on\u0000click=x>y")).toBe("<p>y</p>");
	});
});

describe("sanitizer: template, noscript and foreign content", () => {
	it("drops <template> with its content", () => {
		expect(safe("<template><p>t</p><img src=x onerror=alert(1)></template>ok")).toBe("ok");
		expect(safe("<p><template><b>x</b></template>y</p>")).toBe("<p>y</p>");
	});

	it("drops <noscript>, whose content a browser reads as raw text", () => {
		expect(safe('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>ok')).toBe('"&gt;ok');
		expect(safe("<noscript><b>x</b></noscript>ok")).toBe("ok");
	});

	it("drops svg and math subtrees, with what hides in them", () => {
		expect(safe("<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>ok")).toBe("ok");
		expect(safe("<svg><style><img src=x onerror=alert(1)></style></svg>ok")).toBe("ok");
		expect(safe("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")).toBe("");
		expect(safe('<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">')).toBe('<p></p>"&gt;');
		expect(safe("<math><annotation-xml encoding='text/html'><p onclick=x>y</p></annotation-xml></math>")).toBe("");
	});

	it("keeps HTML that breaks out of foreign content", () => {
		expect(safe("<svg><p>out</p></svg>")).toBe("<p>out</p>");
	});

	it("drops raw-text and form elements whole", () => {
		expect(safe("<textarea><img src=x onerror=alert(1)></textarea>ok")).toBe("ok");
		expect(safe("<xmp><img src=x onerror=alert(1)></xmp>ok")).toBe("&lt;img src=x onerror=alert(1)&gt;ok");
		expect(safe("<plaintext><b>x")).toBe("&lt;b&gt;x");
		expect(safe("<iframe srcdoc='<script>alert(1)</script>'></iframe>ok")).toBe("ok");
		expect(safe("<select><option><img src=x onerror=alert(1)></select>ok")).toBe("ok");
	});
});

describe("remote strings", () => {
	it("lose NUL and unpaired surrogates when read", async () => {
		const { localized, asString } = await import("../parse/values");
		expect(asString("Ali\u0000ce\udc00")).toBe("Alice");
		expect(localized({ nameMap: { en: "B\u0000ob" } }, "name").text).toBe("Bob");
	});
});
