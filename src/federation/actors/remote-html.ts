import { sanitizeHtml } from "../sanitize";

/** Remote profile HTML (a bio) made safe to serve: Mastodon's allowed markup, links kept. */
export async function safeRemoteHtml(html: string): Promise<string> {
	return sanitizeHtml(html);
}

/** A one-line remote value (a profile field): sanitized like a bio, so verified links stay links. */
export async function safeRemoteInline(html: string): Promise<string> {
	return sanitizeHtml(html.trim());
}
