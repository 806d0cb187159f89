import { decodeHtmlEntities } from "./html-entities";

const ESCAPES: Record<string, string> = {
	"&": "&amp;",
	"<": "&lt;",
	">": "&gt;",
	'"': "&quot;",
	"'": "&#39;",
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/**
 * Plain text as Mastodon renders it: paragraphs split by blank lines, single
 * newlines as <br>. Linkifying URLs, mentions and hashtags belongs to the
 * status formatter, which builds on this.
 */
export function plainTextToHtml(text: string): string {
	const paragraphs = text
		.replace(/\r\n?/g, "\n")
		.trim()
		.split(/\n{2,}/)
		.filter((p) => p.length > 0);
	return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br />")}</p>`).join("");
}

/** Text content of remote HTML: tags dropped, line breaks kept, entities decoded. */
export function htmlToPlainText(html: string): string {
	const text = html
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<\/p\s*>\s*<p[^>]*>/gi, "\n\n")
		.replace(/<[^>]*>/g, "");
	return decodeHtmlEntities(text);
}
