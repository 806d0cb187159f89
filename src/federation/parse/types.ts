/** Typed shapes of incoming ActivityPub documents, after normalization (see values.ts). */

export type Visibility = "public" | "unlisted" | "private" | "direct";

export interface MentionTag {
	kind: "mention";
	/** The mentioned actor's id. */
	href: string;
	/** `@user@host` as written, when given. */
	name: string | null;
}

export interface HashtagTag {
	kind: "hashtag";
	/** Without the leading `#`. */
	name: string;
	href: string | null;
}

export interface EmojiTag {
	kind: "emoji";
	/** Shortcode without colons. */
	shortcode: string;
	url: string;
	id: string | null;
	updated: Date | null;
}

export interface Tags {
	mentions: MentionTag[];
	hashtags: HashtagTag[];
	emojis: EmojiTag[];
}

export interface Attachment {
	type: string;
	url: string;
	mediaType: string | null;
	name: string | null;
	blurhash: string | null;
	width: number | null;
	height: number | null;
	focalPoint: [number, number] | null;
}

export interface ProfileFieldValue {
	name: string;
	value: string;
}

export interface PollOptionValue {
	name: string;
	votes: number;
}

export interface PollValue {
	multiple: boolean;
	options: PollOptionValue[];
	endTime: Date | null;
	closed: Date | null;
	votersCount: number | null;
}

export const POST_TYPES = ["Note", "Question", "Article", "Page"] as const;
export type PostType = (typeof POST_TYPES)[number];

/** A post-like object (Note, Question, Article, Page and look-alikes such as Video, Audio, Event). */
export interface ParsedPost {
	kind: "post";
	id: string;
	type: string;
	attributedTo: string | null;
	/** HTML as sent (sanitize before storing). */
	content: string;
	language: string | null;
	/** Content warning. */
	summary: string | null;
	/** Title of Articles/Pages/Questions, which Mastodon shows above the content. */
	name: string | null;
	sensitive: boolean;
	inReplyTo: string | null;
	published: Date | null;
	updated: Date | null;
	url: string | null;
	to: string[];
	cc: string[];
	tags: Tags;
	attachments: Attachment[];
	poll: PollValue | null;
	/** Quoted post (FEP-e232 / Misskey / Fedibird). */
	quote: string | null;
	directMessage: boolean;
}

export interface ParsedTombstone {
	kind: "tombstone";
	id: string;
	formerType: string | null;
	deleted: Date | null;
}

export interface PublicKeyValue {
	id: string;
	owner: string | null;
	pem: string;
}

export interface MultikeyValue {
	id: string;
	controller: string | null;
	publicKeyMultibase: string;
}

export const ACTOR_TYPES = ["Person", "Service", "Application", "Group", "Organization"] as const;

export interface ParsedActor {
	kind: "actor";
	id: string;
	type: string;
	preferredUsername: string | null;
	name: string | null;
	summary: string | null;
	url: string | null;
	inbox: string | null;
	sharedInbox: string | null;
	outbox: string | null;
	followers: string | null;
	following: string | null;
	featured: string | null;
	/** Every `publicKey` entry (one object or a list), in document order. */
	publicKeys: PublicKeyValue[];
	multikeys: MultikeyValue[];
	icon: string | null;
	image: string | null;
	manuallyApprovesFollowers: boolean;
	discoverable: boolean | null;
	indexable: boolean | null;
	memorial: boolean;
	alsoKnownAs: string[];
	movedTo: string | null;
	fields: ProfileFieldValue[];
	emojis: EmojiTag[];
	published: Date | null;
}

export interface ParsedCollection {
	kind: "collection";
	id: string | null;
	type: string;
	totalItems: number | null;
	first: string | ParsedCollection | null;
	next: string | null;
	partOf: string | null;
	/** Items as sent: ids or inline objects. */
	items: unknown[];
}

/** Any other object: kept as raw JSON with its id and type. */
export interface ParsedOther {
	kind: "other";
	id: string | null;
	type: string | null;
	raw: Record<string, unknown>;
}

export type ParsedObject = ParsedPost | ParsedTombstone | ParsedActor | ParsedCollection | ParsedActivity | ParsedOther;

export interface ParsedActivity {
	kind: "activity";
	id: string;
	type: string;
	actor: string;
	/** The id the `object` points to (inline or not). */
	objectId: string | null;
	/** The inline object, parsed, when one was sent. */
	object: ParsedObject | null;
	target: string | null;
	to: string[];
	cc: string[];
	published: Date | null;
	/** Like/EmojiReact: the reaction text (emoji or `:shortcode:`). */
	content: string | null;
	tags: Tags;
	raw: Record<string, unknown>;
}
