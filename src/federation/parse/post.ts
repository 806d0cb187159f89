import { ParseError } from "./errors";
import { parseAttachments, parseTags } from "./tags";
import type { ParsedPost, ParsedTombstone, PollValue } from "./types";
import {
	asArray,
	asBoolean,
	asDate,
	asHttpUrl,
	asNumber,
	asString,
	asText,
	isObject,
	type JsonObject,
	localized,
	refId,
	refIds,
	typeOf,
	urlOf,
} from "./values";

/** A Note, Question, Article, Page (or another post-like object such as Video). */
export function parsePost(json: JsonObject): ParsedPost {
	const id = asHttpUrl(json.id);
	if (!id) throw new ParseError("Object has no usable id");
	const type = typeOf(json) ?? "Note";
	const content = localized(json, "content");
	const summary = localized(json, "summary");
	const name = localized(json, "name");
	// Misskey without a Mastodon-style content keeps the text in _misskey_content/source.
	let html = content.text;
	if (html === null && isObject(json.source) && typeof json.source.content === "string") {
		html = escapeText(json.source.content);
	}
	const summaryText = summary.text ?? asText(json._misskey_summary);
	const sensitive = asBoolean(json.sensitive) ?? false;
	return {
		kind: "post",
		id,
		type,
		attributedTo: attributedToId(json.attributedTo) ?? attributedToId(json.actor),
		content: html ?? "",
		language: content.language ?? summary.language,
		summary: summaryText && summaryText.trim() !== "" ? summaryText : null,
		name: name.text,
		sensitive: sensitive || (summaryText !== null && summaryText.trim() !== ""),
		inReplyTo: asHttpUrl(refId(json.inReplyTo)),
		published: asDate(json.published),
		updated: asDate(json.updated),
		url: urlOf(json.url) ?? id,
		to: refIds(json.to),
		cc: refIds(json.cc),
		tags: parseTags(json.tag),
		attachments: parseAttachments(json.attachment),
		poll: type === "Question" ? parsePoll(json) : null,
		quote:
			asHttpUrl(refId(json.quote)) ??
			asHttpUrl(refId(json.quoteUrl)) ??
			asHttpUrl(refId(json.quoteUri)) ??
			asHttpUrl(refId(json._misskey_quote)),
		directMessage: asBoolean(json.directMessage) ?? false,
	};
}

/** The author: a string, an inline actor, or a list (PeerTube lists the channel and the account). */
function attributedToId(value: unknown): string | null {
	const items = asArray(value);
	const person = items.find((item) => isObject(item) && typeOf(item) === "Person");
	return asHttpUrl(refId(person ?? items[0]));
}

function parsePoll(json: JsonObject): PollValue {
	// Pleroma sends an empty anyOf next to a filled oneOf.
	const multiple = asArray(json.anyOf).length > 0;
	const options = asArray(multiple ? json.anyOf : json.oneOf)
		.filter(isObject)
		.map((option) => ({
			name: localized(option, "name").text ?? "",
			votes: asNumber(isObject(option.replies) ? option.replies.totalItems : null) ?? 0,
		}));
	return {
		multiple,
		options,
		endTime: asDate(json.endTime),
		closed: asDate(json.closed),
		votersCount: asNumber(json.votersCount),
	};
}

export function parseTombstone(json: JsonObject): ParsedTombstone {
	const id = asString(json.id);
	if (!id) throw new ParseError("Tombstone has no id");
	return { kind: "tombstone", id, formerType: asString(json.formerType), deleted: asDate(json.deleted) };
}

function escapeText(text: string): string {
	return `<p>${text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, "<br>")}</p>`;
}
