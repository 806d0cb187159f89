import type { InstanceConfig } from "../../config";
import type { MediaAttachment } from "../../db/schema";
import type { NoteMention, NoteSource } from "../../federation/outbox/note-sources";
import { NOTE_CONTEXT, PUBLIC_COLLECTION } from "./context";

export interface Addressing {
	to: string[];
	cc: string[];
}

/**
 * Who a post is addressed to, as Mastodon addresses it: public → Public with
 * followers in cc; unlisted → followers with Public in cc; private →
 * followers; direct → the mentioned accounts only. Mentioned accounts are
 * always addressed (cc, or to for direct).
 */
export function addressing(visibility: string, followersUrl: string, mentionUris: string[]): Addressing {
	switch (visibility) {
		case "public":
			return { to: [PUBLIC_COLLECTION], cc: [followersUrl, ...mentionUris] };
		case "unlisted":
			return { to: [followersUrl], cc: [PUBLIC_COLLECTION, ...mentionUris] };
		case "private":
			return { to: [followersUrl], cc: mentionUris };
		default:
			return { to: mentionUris, cc: [] };
	}
}

export function followersUrlOf(source: { author: { uri: string; followersUrl: string | null } }): string {
	return source.author.followersUrl ?? `${source.author.uri}/followers`;
}

function mediaUrl(media: MediaAttachment, config: InstanceConfig): string | null {
	return media.fileKey ? `${config.origin}/media/${media.fileKey}` : media.remoteUrl;
}

function mentionName(mention: NoteMention, config: InstanceConfig): string {
	return `@${mention.username}@${mention.domain ?? config.domain}`;
}

function attachment(media: MediaAttachment, config: InstanceConfig) {
	const url = mediaUrl(media, config);
	if (!url) return null;
	return {
		type: "Document",
		mediaType: media.contentType ?? "application/octet-stream",
		url,
		name: media.description || null,
		...(media.blurhash ? { blurhash: media.blurhash } : {}),
		...(media.focusX !== null && media.focusY !== null ? { focalPoint: [media.focusX, media.focusY] } : {}),
		...(media.width ? { width: media.width } : {}),
		...(media.height ? { height: media.height } : {}),
	};
}

function conversationUri(conversationId: string | null, createdAt: Date, config: InstanceConfig): string | null {
	if (!conversationId) return null;
	return `tag:${config.domain},${createdAt.getUTCFullYear()}:objectId=${conversationId}:objectType=Conversation`;
}

export type NoteDocument = Record<string, unknown> & { id: string; type: "Note" | "Question" } & Addressing;

/** A local status as a Note (a Question when it has a poll), without @context. */
export function serializeNote(source: NoteSource, config: InstanceConfig): NoteDocument {
	const { status, author, poll } = source;
	const mentionUris = source.mentions.map((m) => m.uri);
	const { to, cc } = addressing(status.visibility, followersUrlOf(source), mentionUris);
	const tag = [
		...source.mentions
			.filter((m) => !m.silent)
			.map((m) => ({ type: "Mention", href: m.uri, name: mentionName(m, config) })),
		...source.tags.map((name) => ({
			type: "Hashtag",
			href: `${config.origin}/tags/${encodeURIComponent(name.toLowerCase())}`,
			name: `#${name}`,
		})),
	];
	const note: NoteDocument = {
		id: status.uri,
		type: poll ? "Question" : "Note",
		summary: status.spoilerText || null,
		inReplyTo: source.inReplyToUri,
		published: status.createdAt.toISOString(),
		url: status.url ?? status.uri,
		attributedTo: author.uri,
		to,
		cc,
		sensitive: status.sensitive,
		conversation: conversationUri(status.conversationId, status.createdAt, config),
		content: status.content,
		...(status.language ? { contentMap: { [status.language]: status.content } } : {}),
		attachment: source.media.map((m) => attachment(m, config)).filter((a) => a !== null),
		tag,
	};
	if (status.editedAt) note.updated = status.editedAt.toISOString();
	if (poll) {
		const options = poll.options.map((option) => ({
			type: "Note",
			name: option.title,
			replies: { type: "Collection", totalItems: option.votesCount },
		}));
		note[poll.multiple ? "anyOf" : "oneOf"] = options;
		if (poll.expiresAt) {
			note.endTime = poll.expiresAt.toISOString();
			if (poll.expiresAt.getTime() <= Date.now()) note.closed = poll.expiresAt.toISOString();
		}
		if (poll.votersCount !== null) note.votersCount = poll.votersCount;
	}
	return note;
}

export function withNoteContext<T extends object>(document: T) {
	return { "@context": NOTE_CONTEXT, ...document };
}
