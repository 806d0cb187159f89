import { parseActor as parseActorDocument } from "../parse/actor";
import { ParseError } from "../parse/errors";
import { ACTOR_TYPES } from "../parse/types";
import { asReachableUrl, isObject } from "../parse/values";

export { ACTOR_TYPES };

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

function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

/**
 * Reads an actor document for storing, on top of the inbox's general actor
 * reader: stricter, because Tern will talk to this actor. `expectedUri`, when
 * given, must be the document's id. Throws ActorParseError when the document
 * cannot be an actor Tern can talk to (no id, no inbox, no username).
 * Keys count only when the actor vouches for them (owner or controller is the
 * actor) and they live on the actor's origin: a server may only speak for
 * keys it hosts.
 */
export function parseActor(document: unknown, expectedUri?: string): RemoteActor {
	if (!isObject(document)) throw new ActorParseError("Actor document is not an object");
	let actor: ReturnType<typeof parseActorDocument>;
	try {
		actor = parseActorDocument(document);
	} catch (error) {
		if (error instanceof ParseError) throw new ActorParseError(error.message);
		throw error;
	}
	const uri = asReachableUrl(actor.id);
	if (!uri) throw new ActorParseError("Actor has no usable id");
	if (expectedUri && uri !== expectedUri) throw new ActorParseError(`Actor id ${uri} is not ${expectedUri}`);
	const type = ACTOR_TYPES.find((t) => t === actor.type);
	if (!type) throw new ActorParseError(`Not an actor type: ${actor.type}`);
	const inbox = asReachableUrl(actor.inbox);
	if (!inbox) throw new ActorParseError("Actor has no inbox");
	const username = actor.preferredUsername?.trim();
	if (!username) throw new ActorParseError("Actor has no preferredUsername");

	const keys: ActorKey[] = [];
	for (const key of actor.publicKeys) {
		if (key.owner !== uri || !sameOrigin(key.id, uri)) continue;
		keys.push({ keyId: key.id, type: "rsa", publicKey: key.pem });
	}
	for (const key of actor.multikeys) {
		// z6Mk…: the base58btc multicodec prefix of Ed25519 public keys.
		if (!key.publicKeyMultibase.startsWith("z6Mk") || key.controller !== uri || !sameOrigin(key.id, uri)) continue;
		if (keys.some((k) => k.keyId === key.id && k.type === "ed25519")) continue;
		keys.push({ keyId: key.id, type: "ed25519", publicKey: key.publicKeyMultibase });
	}

	return {
		uri,
		type,
		username,
		displayName: actor.name?.trim() ?? "",
		summaryHtml: actor.summary ?? "",
		url: asReachableUrl(actor.url),
		inbox,
		sharedInbox: asReachableUrl(actor.sharedInbox),
		outbox: asReachableUrl(actor.outbox),
		followers: asReachableUrl(actor.followers),
		following: asReachableUrl(actor.following),
		featured: asReachableUrl(actor.featured),
		manuallyApprovesFollowers: actor.manuallyApprovesFollowers,
		// Mastodon treats a missing `discoverable` as false for remote accounts.
		discoverable: actor.discoverable ?? false,
		indexable: actor.indexable ?? false,
		memorial: actor.memorial,
		avatarUrl: asReachableUrl(actor.icon),
		headerUrl: asReachableUrl(actor.image),
		fields: actor.fields.slice(0, MAX_FIELDS),
		alsoKnownAs: actor.alsoKnownAs.filter((alias) => asReachableUrl(alias) !== null).slice(0, MAX_ALIASES),
		movedTo: asReachableUrl(actor.movedTo),
		published: actor.published,
		emojis: actor.emojis.map(({ shortcode, url }) => ({ shortcode, url })),
		keys,
	};
}
