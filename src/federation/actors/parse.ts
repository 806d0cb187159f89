import {
	asArray,
	asBoolean,
	asHttpUrl,
	asString,
	isObject,
	type JsonObject,
	linkUrl,
	naturalText,
	refId,
	refUrl,
	typeOf,
} from "./json";

export const ACTOR_TYPES = ["Person", "Service", "Application", "Group", "Organization"] as const;

export interface ActorKey {
	keyId: string;
	type: "rsa" | "ed25519";
	/** SPKI PEM (RSA, type decided at import) or multibase (Ed25519 Multikey). */
	publicKey: string;
}

export interface ActorEmoji {
	shortcode: string;
	url: string;
}

/** What Tern keeps of a remote actor document. */
export interface RemoteActor {
	uri: string;
	type: (typeof ACTOR_TYPES)[number];
	username: string;
	displayName: string;
	/** As sent; must be sanitized before it is shown. */
	summaryHtml: string;
	url: string | null;
	inbox: string;
	sharedInbox: string | null;
	outbox: string | null;
	followers: string | null;
	following: string | null;
	featured: string | null;
	manuallyApprovesFollowers: boolean;
	discoverable: boolean;
	indexable: boolean;
	memorial: boolean;
	avatarUrl: string | null;
	headerUrl: string | null;
	fields: { name: string; value: string }[];
	alsoKnownAs: string[];
	movedTo: string | null;
	published: Date | null;
	emojis: ActorEmoji[];
	keys: ActorKey[];
}

export class ActorParseError extends Error {}

const MAX_FIELDS = 16;
const MAX_ALIASES = 20;

/** An `icon`/`image`: a URL, an Image object (whose `url` may itself be a Link or a list), or a list of those. */
function imageUrl(value: unknown): string | null {
	for (const item of asArray(value)) {
		const url = typeof item === "string" ? asHttpUrl(item) : isObject(item) ? linkUrl(item.url ?? item.href) : null;
		if (url) return url;
	}
	return null;
}

function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

/**
 * Keys the actor itself vouches for: `publicKey` (one or a list; owner must be
 * the actor) and Ed25519 Multikeys in `assertionMethod` (controller must be
 * the actor). Keys on another origin are ignored: a server may only speak for
 * keys it hosts.
 */
function parseKeys(actor: JsonObject, uri: string): ActorKey[] {
	const keys: ActorKey[] = [];
	for (const item of asArray(actor.publicKey)) {
		if (!isObject(item)) continue;
		const keyId = asString(item.id);
		const pem = asString(item.publicKeyPem);
		const owner = refId(item.owner) ?? uri;
		if (!keyId || !pem || owner !== uri || !sameOrigin(keyId, uri)) continue;
		keys.push({ keyId, type: "rsa", publicKey: pem });
	}
	for (const item of asArray(actor.assertionMethod)) {
		if (!isObject(item) || typeOf(item) !== "Multikey") continue;
		const keyId = asString(item.id);
		const multibase = asString(item.publicKeyMultibase);
		const controller = refId(item.controller) ?? uri;
		// z6Mk…: the base58btc multicodec prefix of Ed25519 public keys.
		if (!keyId || !multibase?.startsWith("z6Mk") || controller !== uri || !sameOrigin(keyId, uri)) continue;
		if (keys.some((key) => key.keyId === keyId && key.type === "ed25519")) continue;
		keys.push({ keyId, type: "ed25519", publicKey: multibase });
	}
	return keys;
}

function parseFields(value: unknown): { name: string; value: string }[] {
	const fields: { name: string; value: string }[] = [];
	for (const item of asArray(value)) {
		if (!isObject(item) || typeOf(item) !== "PropertyValue") continue;
		const name = asString(item.name);
		const text = asString(item.value);
		if (name && text !== null) fields.push({ name, value: text });
		if (fields.length >= MAX_FIELDS) break;
	}
	return fields;
}

function parseEmojis(value: unknown): ActorEmoji[] {
	const emojis: ActorEmoji[] = [];
	for (const item of asArray(value)) {
		if (!isObject(item) || typeOf(item) !== "Emoji") continue;
		const shortcode = asString(item.name)?.replace(/^:|:$/g, "");
		const url = imageUrl(item.icon);
		if (shortcode && url) emojis.push({ shortcode, url });
	}
	return emojis;
}

function parseDate(value: unknown): Date | null {
	if (typeof value !== "string") return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Reads an actor document. `expectedUri`, when given, must be the document's
 * id. Throws ActorParseError when the document cannot be an actor Tern can
 * talk to (no id, no inbox, no username).
 */
export function parseActor(document: unknown, expectedUri?: string): RemoteActor {
	if (!isObject(document)) throw new ActorParseError("Actor document is not an object");
	const uri = asHttpUrl(document.id);
	if (!uri) throw new ActorParseError("Actor has no usable id");
	if (expectedUri && uri !== expectedUri) throw new ActorParseError(`Actor id ${uri} is not ${expectedUri}`);
	const rawType = typeOf(document);
	const type = ACTOR_TYPES.find((t) => t === rawType);
	if (!type) throw new ActorParseError(`Not an actor type: ${rawType}`);
	const inbox = refUrl(document.inbox);
	if (!inbox) throw new ActorParseError("Actor has no inbox");
	const username = asString(document.preferredUsername)?.trim();
	if (!username) throw new ActorParseError("Actor has no preferredUsername");
	const endpoints = isObject(document.endpoints) ? document.endpoints : {};
	return {
		uri,
		type,
		username,
		displayName: naturalText(document, "name")?.trim() ?? "",
		summaryHtml: naturalText(document, "summary") ?? "",
		url: linkUrl(document.url),
		inbox,
		sharedInbox: refUrl(endpoints.sharedInbox) ?? refUrl(document.sharedInbox),
		outbox: refUrl(document.outbox),
		followers: refUrl(document.followers),
		following: refUrl(document.following),
		featured: refUrl(document.featured),
		manuallyApprovesFollowers: asBoolean(document.manuallyApprovesFollowers) ?? false,
		// Mastodon treats a missing `discoverable` as false for remote accounts.
		discoverable: asBoolean(document.discoverable) ?? false,
		indexable: asBoolean(document.indexable) ?? false,
		memorial: asBoolean(document.memorial) ?? false,
		avatarUrl: imageUrl(document.icon),
		headerUrl: imageUrl(document.image),
		fields: parseFields(document.attachment),
		alsoKnownAs: asArray(document.alsoKnownAs)
			.map((item) => refUrl(item))
			.filter((item): item is string => item !== null)
			.slice(0, MAX_ALIASES),
		movedTo: refUrl(document.movedTo),
		published: parseDate(document.published),
		emojis: parseEmojis(document.tag),
		keys: parseKeys(document, uri),
	};
}
