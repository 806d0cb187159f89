import { ParseError } from "./errors";
import { parseTags } from "./tags";
import type { MultikeyValue, ParsedActor, ProfileFieldValue, PublicKeyValue } from "./types";
import {
	asArray,
	asBoolean,
	asDate,
	asHttpUrl,
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

/** An actor document (Person, Service, Group…): what following, delivery and signatures need. */
export function parseActor(json: JsonObject): ParsedActor {
	const id = asHttpUrl(json.id);
	if (!id) throw new ParseError("Actor has no usable id");
	const type = typeOf(json) ?? "Person";
	const endpoints = isObject(json.endpoints) ? json.endpoints : {};
	return {
		kind: "actor",
		id,
		type,
		preferredUsername: asText(json.preferredUsername),
		name: localized(json, "name").text,
		summary: localized(json, "summary").text,
		url: urlOf(json.url),
		inbox: asHttpUrl(refId(json.inbox)),
		// Misskey also puts sharedInbox at the top level; some servers only there.
		sharedInbox: asHttpUrl(refId(endpoints.sharedInbox)) ?? asHttpUrl(refId(json.sharedInbox)),
		outbox: asHttpUrl(refId(json.outbox)),
		followers: asHttpUrl(refId(json.followers)),
		following: asHttpUrl(refId(json.following)),
		featured: asHttpUrl(refId(json.featured)),
		publicKeys: parsePublicKeys(json.publicKey, id),
		multikeys: parseMultikeys(json.assertionMethod, id),
		icon: imageUrl(json.icon),
		image: imageUrl(json.image),
		manuallyApprovesFollowers: asBoolean(json.manuallyApprovesFollowers) ?? false,
		discoverable: asBoolean(json.discoverable),
		indexable: asBoolean(json.indexable),
		memorial: asBoolean(json.memorial) ?? false,
		alsoKnownAs: refIds(json.alsoKnownAs).filter((uri) => asHttpUrl(uri) !== null),
		movedTo: asHttpUrl(refId(json.movedTo)),
		fields: parseFields(json.attachment),
		emojis: parseTags(json.tag).emojis,
		published: asDate(json.published),
	};
}

/** RSA keys of the actor; `publicKey` may be one object or a list. */
function parsePublicKeys(value: unknown, actorId: string): PublicKeyValue[] {
	const keys: PublicKeyValue[] = [];
	for (const item of asArray(value)) {
		if (!isObject(item)) continue;
		const pem = asString(item.publicKeyPem);
		const id = asString(item.id);
		if (pem && id) keys.push({ id, owner: refId(item.owner) ?? actorId, pem });
	}
	return keys;
}

/** FEP-521a keys (Mitra, Streams, Fedify): Ed25519 and friends. */
function parseMultikeys(value: unknown, actorId: string): MultikeyValue[] {
	const keys: MultikeyValue[] = [];
	for (const item of asArray(value)) {
		if (!isObject(item)) continue;
		const publicKeyMultibase = asString(item.publicKeyMultibase);
		const id = asString(item.id);
		if (!publicKeyMultibase || !id) continue;
		keys.push({ id, controller: refId(item.controller) ?? actorId, publicKeyMultibase });
	}
	return keys;
}

function imageUrl(value: unknown): string | null {
	for (const item of asArray(value)) {
		const url = typeof item === "string" ? asHttpUrl(item) : isObject(item) ? urlOf(item.url ?? item.href) : null;
		if (url) return url;
	}
	return null;
}

function parseFields(value: unknown): ProfileFieldValue[] {
	const fields: ProfileFieldValue[] = [];
	for (const item of asArray(value)) {
		if (!isObject(item) || typeOf(item) !== "PropertyValue") continue;
		const name = asString(item.name);
		const text = asString(item.value);
		if (name !== null && text !== null) fields.push({ name, value: text });
	}
	return fields;
}
