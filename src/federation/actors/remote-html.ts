import { sanitizeHtml } from "../sanitize";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Text content of remote HTML: tags dropped, line breaks kept, entities decoded. */
export function htmlToPlainText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<\/p\s*>\s*<p[^>]*>/gi, "\n\n")
		.replace(/<[^>]*>/g, "")
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
			if (name.startsWith("#")) {
				const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
				// A numeric entity outside Unicode stays as written rather than failing the whole text.
				return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
			}
			return ENTITIES[name.toLowerCase()] ?? whole;
		});
}

/** Remote profile HTML (a bio) made safe to serve: Mastodon's allowed markup, links kept. */
export async function safeRemoteHtml(html: string): Promise<string> {
	return sanitizeHtml(html);
}

/** A one-line remote value (a profile field): sanitized like a bio, so verified links stay links. */
export async function safeRemoteInline(html: string): Promise<string> {
	return sanitizeHtml(html.trim());
}
