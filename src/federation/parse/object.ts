import { parseActivity } from "./activity";
import { parseActor } from "./actor";
import { COLLECTION_TYPES, parseCollection } from "./collection";
import { parsePost, parseTombstone } from "./post";
import { ACTOR_TYPES, type ParsedObject } from "./types";
import { asString, isObject, typeOf } from "./values";

/** Types Mastodon turns into statuses; the rest of the post-like types are shown as links, as Mastodon does. */
const POST_LIKE = new Set(["Note", "Question", "Article", "Page", "Video", "Audio", "Image", "Event", "ChatMessage"]);

export const ACTIVITY_TYPES = new Set([
	"Create",
	"Update",
	"Delete",
	"Follow",
	"Accept",
	"Reject",
	"Undo",
	"Announce",
	"Like",
	"Dislike",
	"EmojiReact",
	"Block",
	"Flag",
	"Move",
	"Add",
	"Remove",
	"Join",
	"Leave",
	"Invite",
	"TentativeAccept",
	"Bite",
	"QuoteRequest",
	"LikeRequest",
	"ReplyRequest",
	"AnnounceRequest",
]);

/** Parses any document into its typed shape by `type`; throws ParseError when it is unusable. */
export function parseObject(json: unknown): ParsedObject {
	if (!isObject(json)) return { kind: "other", id: null, type: null, raw: {} };
	const type = typeOf(json);
	if (type && (ACTOR_TYPES as readonly string[]).includes(type)) return parseActor(json);
	if (type && POST_LIKE.has(type)) return parsePost(json);
	if (type === "Tombstone") return parseTombstone(json);
	if (type && COLLECTION_TYPES.includes(type)) return parseCollection(json);
	if (type && ACTIVITY_TYPES.has(type) && json.actor !== undefined) return parseActivity(json);
	return { kind: "other", id: asString(json.id), type, raw: json };
}
