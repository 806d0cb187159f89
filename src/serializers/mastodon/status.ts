import type { InstanceConfig } from "../../config";
import type { Account, MediaAttachment, Poll, Status } from "../../db/schema";
import { serializeAccount } from "./account";
import type { MastodonStatus, MastodonStatusMention } from "./entities";
import type { MastodonFilterResult } from "./filter-entities";
import { serializeMediaAttachment } from "./media-attachment";
import { type PollViewer, serializePoll } from "./poll";
import { serializeStatusTag } from "./tag";

export interface ViewerFlags {
	favourited: boolean;
	reblogged: boolean;
	bookmarked: boolean;
	muted: boolean;
	pinned: boolean;
}

/** What a status's mention list shows of each mentioned account. */
export type MentionedAccount = Pick<Account, "id" | "username" | "domain" | "url" | "uri">;

/** Everything one status needs to be rendered, loaded in bulk by services/statuses/views.ts. */
export interface StatusParts {
	status: Status;
	account: Account;
	media: MediaAttachment[];
	mentions: MentionedAccount[];
	tags: { name: string }[];
	poll: { poll: Poll; viewer: PollViewer } | null;
	application: { name: string; website: string | null } | null;
	/** Null for anonymous viewers: the viewer flags are then left out, as Mastodon does. */
	viewer: ViewerFlags | null;
	filtered: MastodonFilterResult[] | null;
	reblog: StatusParts | null;
}

export function serializeStatusMention(account: MentionedAccount): MastodonStatusMention {
	return {
		id: account.id,
		username: account.username,
		url: account.url ?? account.uri,
		acct: account.domain ? `${account.username}@${account.domain}` : account.username,
	};
}

export function serializeStatus(parts: StatusParts, config: InstanceConfig): MastodonStatus {
	const { status } = parts;
	const result: MastodonStatus = {
		id: status.id,
		uri: status.uri,
		url: status.url,
		created_at: status.createdAt.toISOString(),
		account: serializeAccount(parts.account, config),
		content: status.content,
		visibility: status.visibility,
		// An account a moderator marked sensitive has all its media shown as sensitive.
		sensitive: status.sensitive || (parts.account.sensitizedAt !== null && parts.media.length > 0),
		spoiler_text: status.spoilerText,
		media_attachments: parts.media.map((media) => serializeMediaAttachment(media, config)),
		application: parts.application,
		mentions: parts.mentions.map(serializeStatusMention),
		tags: parts.tags.map((tag) => serializeStatusTag(tag, config)),
		emojis: [],
		reblogs_count: status.reblogsCount,
		favourites_count: status.favouritesCount,
		replies_count: status.repliesCount,
		in_reply_to_id: status.inReplyToId,
		in_reply_to_account_id: status.inReplyToAccountId,
		reblog: parts.reblog ? serializeStatus(parts.reblog, config) : null,
		poll: parts.poll ? serializePoll(parts.poll.poll, parts.poll.viewer) : null,
		card: null,
		language: status.language,
		edited_at: status.editedAt ? status.editedAt.toISOString() : null,
	};
	if (parts.viewer) Object.assign(result, parts.viewer);
	if (parts.filtered) result.filtered = parts.filtered;
	return result;
}
