import { escapeHtml } from "../../lib/text/html";
import type { EmojiMap } from "../../services/instance/emoji-lookup";
import { type SafeHtml, trustedHtml } from "../html";

const SHORTCODE = /:([a-zA-Z0-9_]{2,64}):/g;

function image(code: string, url: string): string {
	const name = escapeHtml(`:${code}:`);
	return `<img class="emoji" src="${escapeHtml(url)}" alt="${name}" title="${name}">`;
}

/** Plain text (a display name) as HTML with its author's custom emoji shown as images. */
export function emojifyText(text: string, domain: string | null, emojis: EmojiMap): SafeHtml {
	const known = emojis.get(domain ?? "");
	const escaped = escapeHtml(text);
	if (!known) return trustedHtml(escaped);
	return trustedHtml(
		escaped.replace(SHORTCODE, (whole, code: string) => {
			const url = known.get(code);
			return url ? image(code, url) : whole;
		}),
	);
}

/**
 * Stored HTML (post content, a bio) with custom emoji shown as images. Only
 * text between tags is touched; the HTML is Tern's own or sanitized.
 */
export function emojifyHtml(content: string, domain: string | null, emojis: EmojiMap): SafeHtml {
	const known = emojis.get(domain ?? "");
	if (!known) return trustedHtml(content);
	return trustedHtml(
		content
			.split(/(<[^>]*>)/)
			.map((part) =>
				part.startsWith("<")
					? part
					: part.replace(SHORTCODE, (whole, code: string) => {
							const url = known.get(code);
							return url ? image(code, url) : whole;
						}),
			)
			.join(""),
	);
}
