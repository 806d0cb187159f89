import { ParseError } from "./errors";
import { parseObject } from "./object";
import { parseTags } from "./tags";
import type { ParsedActivity, ParsedObject } from "./types";
import { asDate, asHttpUrl, asString, asText, isObject, type JsonObject, refId, refIds, typeOf } from "./values";

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
