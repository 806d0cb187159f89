import type { ParsedCollection } from "./types";
import { asArray, asNumber, asString, isObject, type JsonObject, refId, typeOf } from "./values";

export const COLLECTION_TYPES = ["Collection", "OrderedCollection", "CollectionPage", "OrderedCollectionPage"];

/** A collection or page: `first` may be a URL or an inline page; items may be ids or objects. */
export function parseCollection(json: JsonObject): ParsedCollection {
	const first = isObject(json.first) ? parseCollection(json.first) : refId(json.first);
	return {
		kind: "collection",
		id: asString(json.id),
		type: typeOf(json) ?? "Collection",
		totalItems: asNumber(json.totalItems),
		first,
		next: refId(json.next),
		partOf: refId(json.partOf),
		items: asArray(json.orderedItems ?? json.items),
	};
}
