import type { Attachment, EmojiTag, Tags } from "./types";
import { asArray, asDate, asHttpUrl, asNumber, asString, asText, isObject, refId, typeOf, urlOf } from "./values";

/** Mentions, hashtags and custom emoji from a `tag` field (a list, or one object). */
export function parseTags(value: unknown): Tags {
	const tags: Tags = { mentions: [], hashtags: [], emojis: [] };
	for (const item of asArray(value)) {
		if (!isObject(item)) continue;
		switch (typeOf(item)) {
			case "Mention": {
				const href = asHttpUrl(refId(item.href) ?? refId(item.id));
				if (href && !tags.mentions.some((m) => m.href === href)) {
					tags.mentions.push({ kind: "mention", href, name: asText(item.name) });
				}
				break;
			}
			case "Hashtag": {
				const name = asText(item.name)?.replace(/^#/, "").trim();
				if (name && !tags.hashtags.some((h) => h.name.toLowerCase() === name.toLowerCase())) {
					tags.hashtags.push({ kind: "hashtag", name, href: asHttpUrl(item.href) });
				}
				break;
			}
			case "Emoji": {
				const emoji = parseEmoji(item);
				if (emoji && !tags.emojis.some((e) => e.shortcode === emoji.shortcode)) tags.emojis.push(emoji);
				break;
			}
		}
	}
	return tags;
}

export function parseEmoji(item: Record<string, unknown>): EmojiTag | null {
	const shortcode = asText(item.name)?.replace(/^:|:$/g, "");
	const url = urlOf(isObject(item.icon) ? (item.icon.url ?? item.icon.href) : item.icon) ?? urlOf(item.url);
	if (!shortcode || !/^[\w.+-]+$/.test(shortcode) || !url) return null;
	return { kind: "emoji", shortcode, url, id: asString(item.id), updated: asDate(item.updated) };
}

/** Media attachments; entries without a usable URL (and profile fields) are skipped. */
export function parseAttachments(value: unknown): Attachment[] {
	const attachments: Attachment[] = [];
	for (const item of asArray(value)) {
		if (typeof item === "string") {
			const url = asHttpUrl(item);
			if (url) attachments.push(blankAttachment("Document", url));
			continue;
		}
		if (!isObject(item)) continue;
		const type = typeOf(item) ?? "Document";
		if (type === "PropertyValue" || type === "Note" || type === "Link") continue;
		const url = urlOf(item.url) ?? urlOf(item.href);
		if (!url) continue;
		const focal = asArray(item.focalPoint).map(asNumber);
		attachments.push({
			type,
			url,
			mediaType: asString(item.mediaType) ?? mediaTypeOfUrl(item.url),
			name: asText(item.name) ?? asText(item.summary),
			blurhash: asString(item.blurhash),
			width: asNumber(item.width),
			height: asNumber(item.height),
			focalPoint:
				focal.length === 2 && focal[0] != null && focal[1] != null ? [focal[0] as number, focal[1] as number] : null,
		});
	}
	return attachments;
}

function blankAttachment(type: string, url: string): Attachment {
	return { type, url, mediaType: null, name: null, blurhash: null, width: null, height: null, focalPoint: null };
}

/** PeerTube/Funkwhale put the media type on the Link inside `url`. */
function mediaTypeOfUrl(value: unknown): string | null {
	for (const item of asArray(value)) {
		if (isObject(item) && typeof item.mediaType === "string" && item.mediaType !== "text/html") return item.mediaType;
	}
	return null;
}

/** Maps an attachment to Mastodon's media types. */
export function mediaKind(attachment: Attachment): "image" | "gifv" | "video" | "audio" | "unknown" {
	const mediaType = attachment.mediaType ?? "";
	if (mediaType === "image/gif") return "image";
	if (mediaType.startsWith("image/") || attachment.type === "Image") return "image";
	if (mediaType.startsWith("video/") || attachment.type === "Video") return "video";
	if (mediaType.startsWith("audio/") || attachment.type === "Audio") return "audio";
	return "unknown";
}
