import { parseActor } from "./actor";
import { COLLECTION_TYPES, parseCollection } from "./collection";
import { ParseError } from "./errors";
import { parsePost, parseTombstone } from "./post";
import { parseTags } from "./tags";
import { ACTOR_TYPES, type ParsedActivity, type ParsedObject } from "./types";
import { asDate, asHttpUrl, asString, asText, isObject, type JsonObject, refId, refIds, typeOf } from "./values";

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

// Activities and objects nest in each other (an Announce of a Create of a Note), so both parsers live here.
/**
 * An activity with its actor as an id and its object both as an id and,
 * when sent inline, parsed. Only a missing id, type or actor makes it unusable.
 */
export function parseActivity(json: JsonObject): ParsedActivity {
	const type = typeOf(json);
	if (!type) throw new ParseError("Activity has no type");
	const actor = asHttpUrl(refId(json.actor));
	if (!actor) throw new ParseError(`${type} has no usable actor`);
	const objectId = refId(json.object);
	// GoToSocial sends Deletes without an id; one made from actor and object still dedupes them.
	const id = asString(json.id) ?? (objectId ? `${actor}#${type.toLowerCase()}/${objectId}` : null);
	if (!id) throw new ParseError(`${type} has no id`);
	let object: ParsedObject | null = null;
	if (isObject(json.object)) {
		try {
			object = parseObject(json.object);
		} catch {
			// An inline object we cannot read is treated as a reference: handlers re-fetch it by id.
			object = null;
		}
	}
	return {
		kind: "activity",
		id,
		type,
		actor,
		objectId,
		object,
		target: refId(json.target),
		to: refIds(json.to),
		cc: refIds(json.cc),
		published: asDate(json.published),
		content: asText(json._misskey_reaction) ?? asText(json.content),
		tags: parseTags(json.tag),
		raw: json,
	};
}
