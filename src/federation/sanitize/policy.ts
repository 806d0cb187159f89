/**
 * What survives in remote HTML, following Mastodon's strict policy for
 * incoming posts: a handful of text-level and block elements, links to
 * http(s)/gemini only, microformat classes on spans and links.
 */

export const ALLOWED_ELEMENTS = new Set([
	"p",
	"br",
	"span",
	"a",
	"del",
	"s",
	"pre",
	"code",
	"em",
	"strong",
	"b",
	"i",
	"u",
	"ul",
	"ol",
	"li",
	"blockquote",
]);

export const VOID_ELEMENTS = new Set(["br"]);

/** Headings become a bold paragraph, as Mastodon renders them. */
export const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/** Elements whose content is not text meant for readers: dropped whole. */
export const DROPPED_WITH_CONTENT = new Set([
	"script",
	"style",
	"template",
	"iframe",
	"frame",
	"frameset",
	"object",
	"embed",
	"noscript",
	"svg",
	"math",
	"head",
	"title",
	"textarea",
	"select",
]);

export const ALLOWED_CLASSES: Record<string, Set<string>> = {
	span: new Set(["h-card", "mention", "hashtag", "invisible", "ellipsis", "u-url"]),
	a: new Set(["h-card", "mention", "hashtag", "u-url"]),
};

/** Attributes kept besides class and href; everything else (style, on*, id…) goes. */
export const ALLOWED_ATTRIBUTES: Record<string, Set<string>> = {
	ol: new Set(["start", "reversed"]),
	li: new Set(["value"]),
};

const LINK_PROTOCOLS = new Set(["http:", "https:", "gemini:"]);

export function isAllowedHref(href: string): boolean {
	try {
		return LINK_PROTOCOLS.has(new URL(href.trim()).protocol);
	} catch {
		return false;
	}
}

export const LINK_REL = "nofollow noopener noreferrer";
