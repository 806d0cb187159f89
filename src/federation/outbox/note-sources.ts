import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
	type Account,
	accounts,
	type MediaAttachment,
	mediaAttachments,
	mentions,
	type Poll,
	polls,
	type Status,
	statuses,
	statusTags,
	tags,
} from "../../db/schema";

export interface NoteMention {
	uri: string;
	username: string;
	domain: string | null;
	url: string | null;
	silent: boolean;
}

/** Everything a Note needs besides the status row, loaded for many statuses at once. */
export interface NoteSource {
	status: Status;
	author: Account;
	mentions: NoteMention[];
	tags: string[];
	media: MediaAttachment[];
	poll: Poll | null;
	inReplyToUri: string | null;
}

/**
 * Loads the sources of the Notes of `items` (statuses with their authors) in
 * one round trip: mentions, hashtags, attachments, polls and parent URIs.
 */
export async function loadNoteSources(db: Db, items: { status: Status; author: Account }[]): Promise<NoteSource[]> {
	if (items.length === 0) return [];
	const ids = items.map((item) => item.status.id);
	const pollIds = items.map((item) => item.status.pollId).filter((id): id is string => id !== null);
	const parentIds = items.map((item) => item.status.inReplyToId).filter((id): id is string => id !== null);
	const [mentionRows, tagRows, mediaRows, pollRows, parentRows] = await db.batch([
		db
			.select({
				statusId: mentions.statusId,
				silent: mentions.silent,
				uri: accounts.uri,
				username: accounts.username,
				domain: accounts.domain,
				url: accounts.url,
			})
			.from(mentions)
			.innerJoin(accounts, eq(accounts.id, mentions.accountId))
			.where(inArray(mentions.statusId, ids)),
		db
			.select({ statusId: statusTags.statusId, name: tags.displayName })
			.from(statusTags)
			.innerJoin(tags, eq(tags.id, statusTags.tagId))
			.where(inArray(statusTags.statusId, ids)),
		db.select().from(mediaAttachments).where(inArray(mediaAttachments.statusId, ids)).orderBy(mediaAttachments.id),
		db
			.select()
			.from(polls)
			.where(inArray(polls.id, pollIds.length > 0 ? pollIds : [""])),
		db
			.select({ id: statuses.id, uri: statuses.uri })
			.from(statuses)
			.where(inArray(statuses.id, parentIds.length > 0 ? parentIds : [""])),
	]);
	const parents = new Map(parentRows.map((row) => [row.id, row.uri]));
	const pollsById = new Map(pollRows.map((row) => [row.id, row]));
	return items.map(({ status, author }) => ({
		status,
		author,
		mentions: mentionRows
			.filter((row) => row.statusId === status.id)
			.map(({ statusId: _statusId, ...mention }) => mention),
		tags: tagRows.filter((row) => row.statusId === status.id).map((row) => row.name),
		media: mediaRows.filter((row) => row.statusId === status.id),
		poll: status.pollId ? (pollsById.get(status.pollId) ?? null) : null,
		inReplyToUri: status.inReplyToId ? (parents.get(status.inReplyToId) ?? status.inReplyToUri) : status.inReplyToUri,
	}));
}
