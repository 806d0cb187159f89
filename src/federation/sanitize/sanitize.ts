import { type DefaultTreeAdapterTypes, defaultTreeAdapter, html as htmlSpec, parseFragment } from "parse5";
import { withoutNonText } from "../../lib/text/unicode";
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

type Node = DefaultTreeAdapterTypes.ChildNode;
type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

const HTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

/**
 * Cleans HTML from another server. The input is parsed the way a browser
 * parses it (parse5 follows the HTML standard's tokenizer and tree builder:
 * unterminated tags, mis-nesting, entities, `<template>`, foreign content),
 * and the result is written out anew from that tree: only allow-listed
 * elements and attributes are emitted and every text and attribute value is
 * escaped, so nothing of the input's text ever reaches the output as markup.
 */
export function sanitizeHtmlSync(html: string | null | undefined): string {
	if (!html) return "";
	// Parsed as the content of a <div> in a page (where clients put it); with
	// scripting on, <noscript> content is raw text, as in the browsers that show it.
	const fragment = parseFragment(postContext(), html, { scriptingEnabled: true });
	return serialize(fragment);
}

/** A fresh context element each time: parse5 attaches the fragment to it. */
export function postContext(): Element {
	return defaultTreeAdapter.createElement("div", htmlSpec.NS.HTML, []);
}

/** Async for the callers written against the streaming sanitizer it replaced. */
export async function sanitizeHtml(html: string | null | undefined): Promise<string> {
	return sanitizeHtmlSync(html);
}

/**
 * Writes the allowed part of a tree. Iterative, with an explicit stack: a
 * post of thousands of nested elements must not exhaust the call stack.
 */
function serialize(root: ParentNode): string {
	let out = "";
	const stack: { nodes: Node[]; index: number; close: string }[] = [{ nodes: root.childNodes, index: 0, close: "" }];
	while (stack.length > 0) {
		const frame = stack[stack.length - 1] as (typeof stack)[number];
		const node = frame.nodes[frame.index++];
		if (!node) {
			out += frame.close;
			stack.pop();
			continue;
		}
		if (node.nodeName === "#text") {
			out += escapeText((node as DefaultTreeAdapterTypes.TextNode).value);
			continue;
		}
		if (!("tagName" in node)) continue; // comments, doctypes
		const element = node as Element;
		// svg and math subtrees (and anything else outside HTML) are dropped whole.
		if (element.namespaceURI !== HTML_NAMESPACE) continue;
		const tag = element.tagName;
		if (DROPPED_WITH_CONTENT.has(tag)) continue;
		if (HEADINGS.has(tag)) {
			out += "<p><strong>";
			stack.push({ nodes: element.childNodes, index: 0, close: "</strong></p>" });
			continue;
		}
		const attributes = ALLOWED_ELEMENTS.has(tag) ? allowedAttributes(element, tag) : undefined;
		if (attributes === undefined) {
			// Unwrapped: its content is written in its place.
			stack.push({ nodes: element.childNodes, index: 0, close: "" });
		} else if (VOID_ELEMENTS.has(tag)) {
			out += `<${tag}${attributes} />`;
		} else {
			out += `<${tag}${attributes}>`;
			stack.push({ nodes: element.childNodes, index: 0, close: `</${tag}>` });
		}
	}
	return out;
}

/** The attribute text to write, or undefined when the element must be unwrapped (a link to nowhere safe). */
function allowedAttributes(element: Element, tag: string): string | undefined {
	const keep = ALLOWED_ATTRIBUTES[tag];
	const classes = ALLOWED_CLASSES[tag];
	const out: [string, string][] = [];
	let href: string | undefined;
	for (const { name, value, namespace } of element.attrs) {
		if (namespace) continue;
		if (name === "class" && classes) {
			const kept = value.split(/\s+/).filter((c) => classes.has(c));
			if (kept.length > 0) out.push(["class", kept.join(" ")]);
		} else if (name === "href" && tag === "a") {
			href = value.trim();
		} else if (keep?.has(name) && /^[\w-]*$/.test(value)) {
			out.push([name, value]);
		}
	}
	if (tag === "a") {
		if (!href || !isAllowedHref(href)) return undefined;
		out.push(["href", href], ["rel", LINK_REL], ["target", "_blank"]);
	}
	return out.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join("");
}

function escapeText(text: string): string {
	return withoutNonText(text).replace(/[&<>\u00a0]/g, (c) => TEXT_ESCAPES[c] as string);
}

function escapeAttribute(value: string): string {
	return withoutNonText(value).replace(/[&<>"\u00a0]/g, (c) => TEXT_ESCAPES[c] as string);
}

const TEXT_ESCAPES: Record<string, string> = {
	"&": "&amp;",
	"<": "&lt;",
	">": "&gt;",
	'"': "&quot;",
	"\u00a0": "&nbsp;",
};
