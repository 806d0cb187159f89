import type { InstanceConfig } from "../../config";
import type { Account, AccountKeys } from "../../db/schema";
import { ACTOR_CONTEXT } from "./context";

export interface ActorDocument {
	"@context": typeof ACTOR_CONTEXT;
	id: string;
	type: "Person" | "Service" | "Group" | "Application";
	preferredUsername: string;
	inbox: string;
	outbox?: string;
	endpoints: { sharedInbox: string };
	publicKey?: { id: string; owner: string; publicKeyPem: string };
	assertionMethod?: { id: string; type: "Multikey"; controller: string; publicKeyMultibase: string }[];
	[key: string]: unknown;
}

/** The collection of hashtags a local account features (Mastodon's toot:featuredTags). */
export function featuredTagsCollectionUrl(account: Account): string {
	return `${account.uri}/collections/tags`;
}

export function actorType(account: Account): ActorDocument["type"] {
	if (account.actorType === "Application") return "Application";
	if (account.group) return "Group";
	if (account.bot) return "Service";
	return "Person";
}

/** Mastodon publishes the sign-up day, not the moment. */
function midnight(date: Date): string {
	return `${date.toISOString().slice(0, 10)}T00:00:00Z`;
}

function image(url: string | null, description: string) {
	if (!url) return undefined;
	return { type: "Image", url, ...(description ? { name: description } : {}) };
}

export interface ActorExtras {
	/** The actor URI of the account this one moved to. */
	movedToUri?: string | null;
	/** Only what verification needs (for unsigned requests under authorized fetch). */
	restricted?: boolean;
}

/**
 * The ActivityPub actor of a local account (or of the instance actor). Keys
 * are left out until the account has them: a document without `publicKey` is
 * honest, one with an invented key is not.
 */
export function serializeActor(
	account: Account,
	keys: AccountKeys | null,
	config: InstanceConfig,
	extras: ActorExtras = {},
): ActorDocument {
	const uri = account.uri;
	const isInstance = account.actorType === "Application";
	const base: ActorDocument = {
		"@context": ACTOR_CONTEXT,
		id: uri,
		type: actorType(account),
		preferredUsername: account.username,
		inbox: account.inboxUrl ?? `${uri}/inbox`,
		...(account.outboxUrl ? { outbox: account.outboxUrl } : {}),
		endpoints: { sharedInbox: account.sharedInboxUrl ?? `${config.origin}/inbox` },
		...(keys
			? {
					publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: keys.rsaPublicKeyPem },
					assertionMethod: [
						{
							id: `${uri}#ed25519-key`,
							type: "Multikey" as const,
							controller: uri,
							publicKeyMultibase: keys.ed25519PublicKeyMultibase,
						},
					],
				}
			: {}),
	};
	if (extras.restricted) return account.suspendedAt ? { ...base, suspended: true } : base;
	const document: ActorDocument = {
		...base,
		name: account.displayName,
		summary: account.noteHtml,
		url: account.url ?? uri,
		manuallyApprovesFollowers: account.locked,
		discoverable: account.discoverable,
		indexable: account.indexable,
		memorial: account.memorial,
		published: midnight(account.createdAt),
		tag: [],
		attachment: account.fields.map((field) => ({ type: "PropertyValue", name: field.name, value: field.value })),
	};
	if (!isInstance) {
		if (account.followersUrl) document.followers = account.followersUrl;
		if (account.followingUrl) document.following = account.followingUrl;
		if (account.featuredUrl) document.featured = account.featuredUrl;
		document.featuredTags = featuredTagsCollectionUrl(account);
	}
	const icon = image(account.avatarUrl, account.avatarDescription);
	if (icon) document.icon = icon;
	const header = image(account.headerUrl, account.headerDescription);
	if (header) document.image = header;
	if (account.alsoKnownAs.length > 0) document.alsoKnownAs = account.alsoKnownAs;
	if (extras.movedToUri) document.movedTo = extras.movedToUri;
	if (account.suspendedAt) document.suspended = true;
	return document;
}
