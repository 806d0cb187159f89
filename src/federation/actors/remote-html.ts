import { decodeHtmlEntities } from "../../lib/text/html-entities";
import { sanitizeHtml } from "../sanitize";

/** Text content of remote HTML: tags dropped, line breaks kept, entities decoded. */
export function htmlToPlainText(html: string): string {
	const text = html
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<\/p\s*>\s*<p[^>]*>/gi, "\n\n")
		.replace(/<[^>]*>/g, "");
	return decodeHtmlEntities(text);
}

/** Remote profile HTML (a bio) made safe to serve: Mastodon's allowed markup, links kept. */
export async function safeRemoteHtml(html: string): Promise<string> {
	return sanitizeHtml(html);
}

/** A one-line remote value (a profile field): sanitized like a bio, so verified links stay links. */
export async function safeRemoteInline(html: string): Promise<string> {
	return sanitizeHtml(html.trim());
}
