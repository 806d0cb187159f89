import {
	ALLOWED_ATTRIBUTES,
	ALLOWED_CLASSES,
	ALLOWED_ELEMENTS,
	DROPPED_WITH_CONTENT,
	HEADINGS,
	isAllowedHref,
	LINK_REL,
	VOID_ELEMENTS,
} from "./policy";

/**
 * Cleans HTML from another server with workerd's streaming HTMLRewriter:
 * allowed elements keep only allowed attributes, other elements are
 * unwrapped to their text, scripts/styles vanish with their content, and
 * elements left open are closed at the end so one post cannot swallow the
 * markup around it.
 */
export async function sanitizeHtml(html: string | null | undefined): Promise<string> {
	if (!html) return "";
	const open: string[] = [];
	const rewriter = new HTMLRewriter()
		.on("*", {
			element(element) {
				const tag = element.tagName.toLowerCase();
				if (DROPPED_WITH_CONTENT.has(tag)) {
					element.remove();
					return;
				}
				if (HEADINGS.has(tag)) {
					stripAttributes(element, tag);
					element.tagName = "p";
					element.prepend("<strong>", { html: true });
					element.append("</strong>", { html: true });
					track(element, "p", open);
					return;
				}
				if (!ALLOWED_ELEMENTS.has(tag)) {
					element.removeAndKeepContent();
					return;
				}
				const href = element.getAttribute("href");
				stripAttributes(element, tag);
				if (tag === "a") {
					if (!href || !isAllowedHref(href)) {
						element.removeAndKeepContent();
						return;
					}
					element.setAttribute("href", href.trim());
					element.setAttribute("rel", LINK_REL);
					element.setAttribute("target", "_blank");
				}
				if (!VOID_ELEMENTS.has(tag)) track(element, tag, open);
			},
			comments(comment) {
				comment.remove();
			},
		})
		.onDocument({
			doctype() {},
			end(end) {
				for (const tag of open.reverse()) end.append(`</${tag}>`, { html: true });
			},
		});
	const output = await rewriter.transform(new Response(html)).text();
	return removeStrayEndTags(output);
}

function stripAttributes(element: Element, tag: string): void {
	const keep = ALLOWED_ATTRIBUTES[tag];
	const classes = ALLOWED_CLASSES[tag];
	for (const [name, value = ""] of [...element.attributes] as [string, string?][]) {
		if (name === "class" && classes) {
			const kept = value.split(/\s+/).filter((c) => classes.has(c));
			if (kept.length > 0) element.setAttribute("class", kept.join(" "));
			else element.removeAttribute("class");
			continue;
		}
		if (keep?.has(name) && /^[\w-]*$/.test(value)) continue;
		element.removeAttribute(name);
	}
}

/** Records an element as open until its end tag is seen. */
function track(element: Element, tag: string, open: string[]): void {
	// `<b/>` would open an element that never closes; an empty element adds nothing, so it goes.
	if ((element as Element & { selfClosing?: boolean }).selfClosing) {
		element.removeAndKeepContent();
		return;
	}
	open.push(tag);
	element.onEndTag(() => {
		const index = open.lastIndexOf(tag);
		if (index >= 0) open.splice(index, 1);
	});
}

const ALLOWED_END_TAG = new RegExp(`^</(?:${[...ALLOWED_ELEMENTS].join("|")})\\s*>$`, "i");

/** End tags without a start tag pass through HTMLRewriter untouched; only allowed ones may stay. */
function removeStrayEndTags(html: string): string {
	return html.replace(/<\/[a-zA-Z][^>]*>/g, (tag) => (ALLOWED_END_TAG.test(tag) ? tag : ""));
}
