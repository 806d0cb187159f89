import { type DefaultTreeAdapterTypes, parseFragment } from "parse5";
import {
	ALLOWED_ATTRIBUTES,
	ALLOWED_CLASSES,
	ALLOWED_ELEMENTS,
	isAllowedHref,
} from "../../src/federation/sanitize/policy";
import { postContext } from "../../src/federation/sanitize/sanitize";

type Node = DefaultTreeAdapterTypes.ChildNode;

/**
 * What a browser would build from sanitized HTML, checked against the
 * policy: every problem found, empty when the markup is safe. The output is
 * parsed again rather than searched with patterns, so markup that only
 * becomes an element or attribute once parsed is caught too.
 */
export function auditSanitized(html: string): string[] {
	const problems: string[] = [];
	// Iterative: sanitized output may nest thousands deep.
	const pending: Node[] = [...parseFragment(postContext(), html, {}).childNodes];
	for (let node = pending.pop(); node; node = pending.pop()) {
		{
			if (node.nodeName === "#comment") problems.push("comment");
			if (!("tagName" in node)) continue;
			const element = node as DefaultTreeAdapterTypes.Element;
			if (element.namespaceURI !== "http://www.w3.org/1999/xhtml") problems.push(`foreign <${element.tagName}>`);
			if (!ALLOWED_ELEMENTS.has(element.tagName)) problems.push(`element <${element.tagName}>`);
			for (const { name, value } of element.attrs) {
				if (/^on/i.test(name)) problems.push(`event handler ${name}`);
				if (/javascript:|vbscript:|data:/i.test([...value].filter((c) => c > " ").join(""))) {
					problems.push(`script URL in ${name}`);
				}
				const allowed =
					(name === "class" && ALLOWED_CLASSES[element.tagName]) ||
					(element.tagName === "a" && ["href", "rel", "target"].includes(name)) ||
					ALLOWED_ATTRIBUTES[element.tagName]?.has(name);
				if (!allowed) problems.push(`attribute ${name} on <${element.tagName}>`);
				if (name === "href" && !isAllowedHref(value)) problems.push(`href ${value}`);
			}
			pending.push(...element.childNodes);
		}
	}
	return problems;
}
