import type { Poll } from "../../db/schema";
import type { MastodonPoll } from "./entities";

export interface PollViewer {
	/** The viewer's choices, or null for an anonymous viewer. */
	ownVotes: number[] | null;
	isAuthor: boolean;
}

export function isPollExpired(poll: Poll, now = Date.now()): boolean {
	return poll.expiresAt !== null && poll.expiresAt.getTime() <= now;
}

export function serializePoll(poll: Poll, viewer: PollViewer): MastodonPoll {
	const expired = isPollExpired(poll);
	// hide_totals keeps the counts from everyone but the author until the poll ends.
	const showTotals = !poll.hideTotals || expired || viewer.isAuthor;
	const result: MastodonPoll = {
		id: poll.id,
		expires_at: poll.expiresAt ? poll.expiresAt.toISOString() : null,
		expired,
		multiple: poll.multiple,
		votes_count: poll.votesCount,
		// As stored, as Mastodon's serializer does: a local poll counts its voters from 0 whether
		// single- or multiple-choice; a remote one has null when its server does not say.
		voters_count: poll.votersCount,
		options: poll.options.map((option) => ({
			title: option.title,
			votes_count: showTotals ? option.votesCount : null,
		})),
		emojis: [],
	};
	if (viewer.ownVotes !== null) {
		result.voted = viewer.isAuthor || viewer.ownVotes.length > 0;
		result.own_votes = viewer.ownVotes;
	}
	return result;
}
