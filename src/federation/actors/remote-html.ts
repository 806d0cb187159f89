import { escapeHtml, plainTextToHtml } from "../../lib/text/html";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Text content of remote HTML: tags dropped, line breaks kept, entities decoded. */
export function htmlToPlainText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, "\n")
		.replace(/<\/p\s*>\s*<p[^>]*>/gi, "\n\n")
		.replace(/<[^>]*>/g, "")
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
			if (name.startsWith("#x") || name.startsWith("#X"))
				return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
			if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
			return ENTITIES[name.toLowerCase()] ?? whole;
		});
}

/**
 * Remote profile HTML made safe to serve. Until the sanitizer from
 * federation/sanitize is available here, remote HTML is reduced to its text
 * and re-rendered as escaped paragraphs: nothing from the peer survives as markup.
 */
export async function safeRemoteHtml(html: string): Promise<string> {
	return plainTextToHtml(htmlToPlainText(html));
}

/** A one-line remote value (a profile field) made safe to serve. */
export async function safeRemoteInline(html: string): Promise<string> {
	return escapeHtml(htmlToPlainText(html).trim());
}
