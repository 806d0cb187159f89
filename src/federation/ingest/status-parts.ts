import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { newId } from "../../lib/ids";
import type { Attachment, EmojiTag, PollValue } from "../parse";
import { mediaKind } from "../parse";

/** Mastodon keeps at most four attachments per post; so do its clients. */
export const MAX_REMOTE_ATTACHMENTS = 4;

/** Remote custom emoji by shortcode and host, kept current (a later post may bring a new image). */
export function emojiStatements(db: Db, domain: string, emojis: EmojiTag[]) {
	if (emojis.length === 0 || domain === "") return [];
	const now = Date.now();
	const rows = emojis.map((e) => ({ id: newId(now), shortcode: e.shortcode, url: e.url, uri: e.id }));
	return [
		sqlRun(
			db,
			sql`insert into remote_emojis (id, shortcode, domain, url, uri, updated_at)
			select json_extract(value, '$.id'), json_extract(value, '$.shortcode'), ${domain},
				json_extract(value, '$.url'), json_extract(value, '$.uri'), ${now}
			from json_each(${JSON.stringify(rows)}) where true
			on conflict (shortcode, domain) do update set url = excluded.url, uri = excluded.uri, updated_at = excluded.updated_at`,
		),
	];
}

/**
 * media_attachments rows pointing at the remote files (nothing is copied).
 * From a domain whose media are rejected they are kept as "unknown"
 * attachments: the link to the original stays, nothing is shown inline.
 */
export function attachmentStatements(
	db: Db,
	accountId: string,
	statusId: string,
	attachments: Attachment[],
	at: Date,
	rejectMedia = false,
) {
	const rows = attachments.slice(0, MAX_REMOTE_ATTACHMENTS).map((a) => ({
		id: newId(at),
		type: rejectMedia ? "unknown" : mediaKind(a),
		url: a.url,
		contentType: a.mediaType,
		description: a.name,
		blurhash: rejectMedia ? null : a.blurhash,
		width: rejectMedia ? null : a.width,
		height: rejectMedia ? null : a.height,
		focusX: a.focalPoint?.[0] ?? null,
		focusY: a.focalPoint?.[1] ?? null,
	}));
	if (rows.length === 0) return [];
	return [
		sqlRun(
			db,
			sql`insert into media_attachments (id, account_id, status_id, type, remote_url, content_type, description,
				blurhash, width, height, focus_x, focus_y, created_at)
			select json_extract(value, '$.id'), ${accountId}, ${statusId}, json_extract(value, '$.type'),
				json_extract(value, '$.url'), json_extract(value, '$.contentType'), json_extract(value, '$.description'),
				json_extract(value, '$.blurhash'), json_extract(value, '$.width'), json_extract(value, '$.height'),
				json_extract(value, '$.focusX'), json_extract(value, '$.focusY'), ${at.getTime()}
			from json_each(${JSON.stringify(rows)})`,
		),
	];
}

function pollOptions(poll: PollValue) {
	return poll.options.map((o) => ({ title: o.name, votesCount: o.votes }));
}

function pollVotes(poll: PollValue): number {
	return poll.options.reduce((sum, o) => sum + o.votes, 0);
}

export function pollStatement(db: Db, pollId: string, statusId: string, accountId: string, poll: PollValue, at: Date) {
	const expires = poll.endTime ?? poll.closed;
	return sqlRun(
		db,
		sql`insert into polls (id, status_id, account_id, options, multiple, hide_totals, votes_count,
			voters_count, expires_at, created_at, updated_at)
		values (${pollId}, ${statusId}, ${accountId}, ${JSON.stringify(pollOptions(poll))}, ${poll.multiple ? 1 : 0}, 0,
			${pollVotes(poll)}, ${poll.votersCount}, ${expires?.getTime() ?? null}, ${at.getTime()}, ${Date.now()})`,
	);
}

/** New counts from an Update of a Question; options keep their order. */
export function pollUpdateStatement(db: Db, pollId: string, poll: PollValue) {
	const expires = poll.endTime ?? poll.closed;
	return sqlRun(
		db,
		sql`update polls set options = ${JSON.stringify(pollOptions(poll))}, votes_count = ${pollVotes(poll)},
		voters_count = ${poll.votersCount}, expires_at = ${expires?.getTime() ?? null}, updated_at = ${Date.now()}
		where id = ${pollId}`,
	);
}
