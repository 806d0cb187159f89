import { fromJsonChunks } from "../../db/queries/json-row";
import type { MediaJson, MentionJson, PollJson, StatusViewRow } from "../../db/queries/status-view-rows";
import type { MediaAttachment, MediaType, Poll } from "../../db/schema";
import type { MentionedAccount } from "../../serializers/mastodon/status";

export interface AttachedParts {
	media: MediaAttachment[];
	mentions: MentionedAccount[];
	tags: { name: string }[];
	poll: Poll | null;
	/** The viewer's choices, ascending. */
	ownVotes: number[];
	application: { name: string; website: string | null } | null;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Turns the JSON columns of one row into typed parts. JSON has no dates or
 * booleans, so those are restored here; lists are sorted in JS because SQLite
 * does not promise an order inside json_group_array (media by id as uploaded,
 * mentions by account id and tags by tag id, the order of their primary keys).
 */
export function parseAttached(row: StatusViewRow): AttachedParts {
	const media = (JSON.parse(row.media) as unknown[]).map((packed): MediaAttachment => {
		const m = fromJsonChunks(packed) as unknown as MediaJson;
		return {
			...m,
			type: m.type as MediaType,
			processing: m.processing === 1,
			createdAt: new Date(m.createdAt),
		};
	});
	media.sort(byId);
	const mentions = JSON.parse(row.mentions) as MentionJson[];
	mentions.sort(byId);
	const tags = (JSON.parse(row.tags) as [string, string][])
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
		.map(([, name]) => ({ name }));
	const pollJson = row.poll ? (JSON.parse(row.poll) as PollJson) : null;
	const poll: Poll | null = pollJson
		? {
				...pollJson,
				multiple: pollJson.multiple === 1,
				hideTotals: pollJson.hideTotals === 1,
				expiresAt: pollJson.expiresAt === null ? null : new Date(pollJson.expiresAt),
				createdAt: new Date(pollJson.createdAt),
				updatedAt: new Date(pollJson.updatedAt),
			}
		: null;
	const ownVotes = row.ownVotes ? (JSON.parse(row.ownVotes) as number[]).sort((a, b) => a - b) : [];
	const application = row.application
		? (JSON.parse(row.application) as { name: string; website: string | null })
		: null;
	return { media, mentions, tags, poll, ownVotes, application };
}
